import { lazy, Suspense, type ComponentType, type ReactNode } from "react";
import { Loading } from "./messages.tsx";

/** A page function's props; a page that takes none has none. */
type PropsOf<F> = F extends (props: infer P) => ReactNode ? (unknown extends P ? object : P) : never;

export type LazyPage<P> = ComponentType<P> & {
  /** Starts loading the page's code (once); what a route match calls to load nested pages side by side. */
  preload(): Promise<unknown>;
};

/**
 * A page whose code is loaded when it is first shown, not with the app:
 * `lazyPage(() => import("./cases/CasesPage.tsx"), "CasesPage")`. Until it has arrived the
 * page shows `fallback` (the loading text). A failed load is tried again on the next render.
 */
export function lazyPage<M extends Record<K, (props: never) => ReactNode>, K extends keyof M & string>(
  load: () => Promise<M>,
  name: K,
  fallback: ReactNode = <Loading />,
): LazyPage<PropsOf<M[K]>> {
  let loading: Promise<{ default: ComponentType<PropsOf<M[K]>> }> | undefined;
  const preload = () =>
    (loading ??= load().then(
      (module) => ({ default: module[name] as unknown as ComponentType<PropsOf<M[K]>> }),
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    ));
  const Lazy = lazy(preload);
  function Page(props: PropsOf<M[K]>) {
    return (
      <Suspense fallback={fallback}>
        <Lazy {...props} />
      </Suspense>
    );
  }
  Page.displayName = `lazyPage(${name})`;
  return Object.assign(Page, { preload });
}
