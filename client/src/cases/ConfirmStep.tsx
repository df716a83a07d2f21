import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { TextField } from "../ui/FormField.tsx";
import { focusFirstInvalid } from "../ui/validation.ts";

/**
 * Asks before an irreversible step, in place: the question, the reason when the server
 * takes one, and the real action. Focus moves to the first control; Avbryt hands the
 * choice back (the card's buttons return).
 */
export function ConfirmStep({
  question,
  reasonLabel,
  reasonHint,
  confirmLabel,
  pending,
  onConfirm,
  onCancel,
}: {
  question: string;
  reasonLabel?: string;
  reasonHint?: string;
  confirmLabel: string;
  pending: boolean;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const questionId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const firstRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    (reasonLabel ? firstRef.current : confirmRef.current)?.focus();
  }, [reasonLabel]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    if (reasonLabel && !reason.trim()) {
      setError(t("consent.reasonRequired"));
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    setError(undefined);
    onConfirm(reason.trim());
  };

  return (
    <form ref={formRef} className="form form--inline confirm" onSubmit={submit} noValidate aria-labelledby={questionId}>
      <p id={questionId} className="confirm__question">
        {question}
      </p>
      {reasonLabel && (
        <TextField label={reasonLabel} hint={reasonHint} required value={reason} inputRef={firstRef} onChange={(e) => setReason(e.target.value)} error={error} />
      )}
      <div className="form__actions">
        <button ref={confirmRef} type="submit" className="button button--danger" disabled={pending}>
          {confirmLabel}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}

