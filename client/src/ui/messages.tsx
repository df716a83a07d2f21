import type { ReactNode } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { apiErrorOf } from "../trpc.ts";
import type { TFunction } from "../i18n/types.ts";

/** The sentence to show for a failed call: per domain code, else network, else generic. */
export function errorText(t: TFunction, error: unknown): string {
  const { appCode, network } = apiErrorOf(error);
  if (appCode) return t(`errors.${appCode}`);
  return network ? t("errors.network") : t("errors.generic");
}

/** A form-level error, announced as soon as it appears. Renders nothing without an error. */
export function ErrorMessage({ error, children }: { error?: unknown; children?: ReactNode }) {
  const t = useT();
  if (!children && !error) return null;
  return (
    <p role="alert" className="alert alert--error">
      {children ?? errorText(t, error)}
    </p>
  );
}

/**
 * A polite live region that is always in the page (so screen readers pick up changes);
 * it only takes up space when there is something to say.
 */
export function StatusMessage({ children }: { children?: ReactNode }) {
  return (
    <div role="status" className={children ? "alert alert--success" : "visually-hidden"}>
      {children}
    </div>
  );
}

export function Loading() {
  const t = useT();
  return <p className="muted">{t("common.loading")}</p>;
}

export function LoadFailed({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const t = useT();
  return (
    <div role="alert" className="alert alert--error">
      <p>
        {t("common.loadFailed")} {errorText(t, error)}
      </p>
      <button type="button" className="button button--secondary button--small" onClick={onRetry}>
        {t("common.retry")}
      </button>
    </div>
  );
}
