import { useId, type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import { useT } from "../i18n/I18nProvider.tsx";

type FieldProps = {
  label: string;
  hint?: string;
  /** Shown under the label and announced with the field (aria-describedby). */
  error?: string | null;
};

/** Ids for the label, hint and error of one field, and the attributes that tie them to the control. */
function useFieldIds(hint: string | undefined, error: string | null | undefined) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return { id, hintId, errorId, controlProps: { id, "aria-describedby": describedBy, "aria-invalid": error ? true : undefined } };
}

function FieldFrame({ id, label, hint, hintId, error, errorId, children }: FieldProps & { id: string; hintId: string; errorId: string; children: ReactNode }) {
  return (
    <div className={error ? "field field--error" : "field"}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
      {children}
    </div>
  );
}

export function TextField({
  label,
  hint,
  error,
  inputRef,
  ...inputProps
}: FieldProps & InputHTMLAttributes<HTMLInputElement> & { inputRef?: Ref<HTMLInputElement> }) {
  const { id, hintId, errorId, controlProps } = useFieldIds(hint, error);
  return (
    <FieldFrame id={id} label={label} hint={hint} hintId={hintId} error={error} errorId={errorId}>
      <input className="field__control" ref={inputRef} {...inputProps} {...controlProps} />
    </FieldFrame>
  );
}

export function SelectField({
  label,
  hint,
  error,
  selectRef,
  children,
  ...selectProps
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { selectRef?: Ref<HTMLSelectElement> }) {
  const { id, hintId, errorId, controlProps } = useFieldIds(hint, error);
  return (
    <FieldFrame id={id} label={label} hint={hint} hintId={hintId} error={error} errorId={errorId}>
      <select className="field__control" ref={selectRef} {...selectProps} {...controlProps}>
        {children}
      </select>
    </FieldFrame>
  );
}

/**
 * A multi-line field. With `limit` it shows how much of it is used ("120 av 10 000 tegn"),
 * read with the field; going over is for the form to refuse at the field, never cut silently.
 */
export function TextAreaField({ label, hint, error, limit, ...areaProps }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement> & { limit?: number }) {
  const { id, hintId, errorId, controlProps } = useFieldIds(hint, error);
  const counterId = `${id}-counter`;
  const describedBy = [controlProps["aria-describedby"], limit ? counterId : null].filter(Boolean).join(" ") || undefined;
  return (
    <FieldFrame id={id} label={label} hint={hint} hintId={hintId} error={error} errorId={errorId}>
      <textarea className="field__control" rows={4} {...areaProps} {...controlProps} aria-describedby={describedBy} />
      {limit !== undefined && <CharacterCount id={counterId} used={String(areaProps.value ?? "").length} limit={limit} />}
    </FieldFrame>
  );
}

/** "120 av 10 000 tegn": marked when over the limit. */
export function CharacterCount({ id, used, limit }: { id?: string; used: number; limit: number }) {
  const t = useT();
  return (
    <p id={id} className={used > limit ? "field__counter field__counter--over" : "field__counter"}>
      {t("common.characterCount", { used, limit })}
    </p>
  );
}

/** A checkbox with its label after it. */
export function CheckboxField({ label, ...inputProps }: { label: string } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="checkbox">
      <input id={id} type="checkbox" {...inputProps} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}
