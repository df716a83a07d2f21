import { lazy, Suspense, type ReactNode } from "react";
import type { Actor } from "../auth/session.ts";
import { Loading } from "../ui/messages.tsx";

// The offers pages: loaded when first opened, not with the app.
const LazyOffersPage = lazy(() => import("./OffersPage.tsx").then((m) => ({ default: m.OffersPage })));
const LazyOfferPage = lazy(() => import("./OfferPage.tsx").then((m) => ({ default: m.OfferPage })));
const LazyNewOfferPage = lazy(() => import("./OfferEditor.tsx").then((m) => ({ default: m.NewOfferPage })));
const LazyEditOfferPage = lazy(() => import("./OfferEditor.tsx").then((m) => ({ default: m.EditOfferPage })));
const LazyBrochurePage = lazy(() => import("./BrochurePage.tsx").then((m) => ({ default: m.BrochurePage })));

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

export const OffersPage = ({ actor }: { actor: Actor }) => (
  <Lazy>
    <LazyOffersPage actor={actor} />
  </Lazy>
);
export const OfferPage = () => (
  <Lazy>
    <LazyOfferPage />
  </Lazy>
);
export const NewOfferPage = ({ actor }: { actor: Actor }) => (
  <Lazy>
    <LazyNewOfferPage actor={actor} />
  </Lazy>
);
export const EditOfferPage = () => (
  <Lazy>
    <LazyEditOfferPage />
  </Lazy>
);
export const BrochurePage = () => (
  <Lazy>
    <LazyBrochurePage />
  </Lazy>
);
