import { lazy, Suspense, type ReactNode } from "react";
import type { Actor } from "../auth/session.ts";
import { Loading } from "../ui/messages.tsx";

// The meeting pages bring Yjs, Hocuspocus and TipTap: loaded when first opened, not with the app.
const LazyMeetingsPage = lazy(() => import("./MeetingsPage.tsx").then((m) => ({ default: m.MeetingsPage })));
const LazyNewSeriesPage = lazy(() => import("./SeriesEditor.tsx").then((m) => ({ default: m.NewSeriesPage })));
const LazyEditSeriesPage = lazy(() => import("./SeriesEditor.tsx").then((m) => ({ default: m.EditSeriesPage })));
const LazyOccurrencePage = lazy(() => import("./MeetingPage.tsx").then((m) => ({ default: m.OccurrencePage })));
const LazyMeetingByIdPage = lazy(() => import("./MeetingPage.tsx").then((m) => ({ default: m.MeetingByIdPage })));
const LazyMeetingPrintView = lazy(() => import("./PrintView.tsx").then((m) => ({ default: m.MeetingPrintView })));

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

export const MeetingsPage = ({ actor }: { actor: Actor }) => (
  <Lazy>
    <LazyMeetingsPage actor={actor} />
  </Lazy>
);
export const NewSeriesPage = ({ actor }: { actor: Actor }) => (
  <Lazy>
    <LazyNewSeriesPage actor={actor} />
  </Lazy>
);
export const EditSeriesPage = ({ actor }: { actor: Actor }) => (
  <Lazy>
    <LazyEditSeriesPage actor={actor} />
  </Lazy>
);
export const OccurrencePage = ({ actor }: { actor: Actor }) => (
  <Lazy>
    <LazyOccurrencePage actor={actor} />
  </Lazy>
);
export const MeetingByIdPage = ({ actor }: { actor: Actor }) => (
  <Lazy>
    <LazyMeetingByIdPage actor={actor} />
  </Lazy>
);
export const MeetingPrintView = () => (
  <Lazy>
    <LazyMeetingPrintView />
  </Lazy>
);
