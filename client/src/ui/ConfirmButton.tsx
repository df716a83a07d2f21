import { useEffect, useRef, useState } from "react";
import { useT } from "../i18n/I18nProvider.tsx";

/**
 * A button that asks first: the question and the real action appear in place. Focus
 * moves into the question (to Avbryt when the action is dangerous: the safe choice
 * first), and Avbryt or Escape returns focus to the button that asked.
 */
export function ConfirmButton({
  label,
  accessibleLabel,
  question,
  confirmLabel,
  onConfirm,
  disabled,
  danger = true,
}: {
  label: string;
  accessibleLabel?: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
  danger?: boolean;
}) {
  const t = useT();
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    if (asking) (danger ? cancelRef : confirmRef).current?.focus();
    else if (wasAsking.current) openRef.current?.focus();
    wasAsking.current = asking;
  }, [asking, danger]);

  if (!asking) {
    return (
      <div className="row-actions">
        <button ref={openRef} type="button" className="button button--secondary button--small" aria-label={accessibleLabel} disabled={disabled} onClick={() => setAsking(true)}>
          {label}
        </button>
      </div>
    );
  }
  return (
    <div
      className="confirm"
      role="group"
      aria-label={question}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          setAsking(false);
        }
      }}
    >
      <p className="confirm__question">{question}</p>
      <div className="row-actions">
        <button
          ref={confirmRef}
          type="button"
          className={danger ? "button button--danger button--small" : "button button--small"}
          onClick={() => {
            setAsking(false);
            onConfirm();
          }}
        >
          {confirmLabel}
        </button>
        <button ref={cancelRef} type="button" className="button button--secondary button--small" onClick={() => setAsking(false)}>
          {t("common.cancel")}
        </button>
      </div>
    </div>
  );
}
