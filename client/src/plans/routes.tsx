import { lazy, Suspense } from "react";
import { Loading } from "../ui/messages.tsx";

// The plan pages bring Yjs, Hocuspocus and TipTap: loaded when first opened, not with the app.
const LazyPlanTab = lazy(() => import("./PlanTab.tsx").then((m) => ({ default: m.PlanTab })));
const LazyPlanPrintView = lazy(() => import("./PlanPrintView.tsx").then((m) => ({ default: m.PlanPrintView })));
const LazyMyMeasuresPage = lazy(() => import("./MyMeasuresPage.tsx").then((m) => ({ default: m.MyMeasuresPage })));

export function PlanTab() {
  return (
    <Suspense fallback={<Loading />}>
      <LazyPlanTab />
    </Suspense>
  );
}

export function PlanPrintView() {
  return (
    <Suspense fallback={<Loading />}>
      <LazyPlanPrintView />
    </Suspense>
  );
}

export function MyMeasuresPage() {
  return (
    <Suspense fallback={<Loading />}>
      <LazyMyMeasuresPage />
    </Suspense>
  );
}
