import { useEffect, useRef } from "react";
import { useLocation } from "react-router";
import { useT } from "../i18n/I18nProvider.tsx";

// The first page shown after load keeps the browser's natural focus start.
let initialPageShown = false;

/**
 * The page's h1. It also sets the document title and, after client-side navigation,
 * takes focus so screen reader and keyboard users start at the new page's content.
 */
export function PageHeading({ children }: { children: string }) {
  const t = useT();
  const ref = useRef<HTMLHeadingElement>(null);
  // Keyed on the path, not on mount: two routes may render the same page component.
  const { pathname } = useLocation();

  useEffect(() => {
    document.title = t("app.pageTitle", { page: children });
  }, [children, t]);

  useEffect(() => {
    if (initialPageShown) ref.current?.focus();
    initialPageShown = true;
  }, [pathname]);

  return (
    <h1 ref={ref} tabIndex={-1} className="page-heading">
      {children}
    </h1>
  );
}
