import { useId, type ReactNode } from "react";

/** A fieldset of the series editor; an error for the group as a whole is shown under the legend and announced with it. */
export function Fieldset({ legend, children, error }: { legend: string; children: ReactNode; error?: string | null }) {
  const errorId = useId();
  return (
    <fieldset className={error ? "fieldset field--error" : "fieldset"} aria-describedby={error ? errorId : undefined}>
      <legend>{legend}</legend>
      {error && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
      {children}
    </fieldset>
  );
}
