import { useEffect, useRef } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { useCopyText } from "../ui/useCopyText.ts";

export type OneTimePassword = { kind: "created" | "reset"; name: string; email: string; password: string };

/**
 * Shows a one-time password exactly once: it lives only in this page's state and is
 * gone when the panel is closed or the page is left.
 */
export function OneTimePasswordPanel({ value, onClose }: { value: OneTimePassword; onClose: () => void }) {
  const t = useT();
  const panelRef = useRef<HTMLDivElement>(null);
  const { codeRef, copy, setCopy, copyText } = useCopyText();

  // Bring the panel into view and focus, whichever button on the page produced it.
  useEffect(() => {
    setCopy(null);
    panelRef.current?.focus();
  }, [value]);



  return (
    <div ref={panelRef} role="status" tabIndex={-1} className="otp-panel">
      <h2 className="otp-panel__heading">{t("oneTimePassword.heading")}</h2>
      <p>
        {value.kind === "created"
          ? t("oneTimePassword.createdFor", { name: value.name, email: value.email })
          : t("oneTimePassword.resetFor", { name: value.name, email: value.email })}
      </p>
      <p className="otp-panel__password">
        <code ref={codeRef} data-testid="one-time-password" translate="no">
          {value.password}
        </code>
      </p>
      <div className="form__actions">
        <button type="button" className="button button--small" onClick={() => void copyText(value.password)}>
          {t("oneTimePassword.copy")}
        </button>
        {copy && <span className="otp-panel__copy">{t(copy === "copied" ? "oneTimePassword.copied" : "oneTimePassword.copyFailed")}</span>}
      </div>
      <p className="otp-panel__note">{t("oneTimePassword.note")}</p>
      <button type="button" className="button button--secondary button--small" onClick={onClose}>
        {t("oneTimePassword.close")}
      </button>
    </div>
  );
}
