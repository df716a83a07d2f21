import type { ReactNode } from "react";

/** A form's row of actions with its one submit button (and any secondary buttons after it). */
export function FormActions({ submit, small, children }: { submit: ReactNode; small?: boolean; children?: ReactNode }) {
  return (
    <div className="form__actions">
      <button type="submit" className={small ? "button button--small" : "button"}>
        {submit}
      </button>
      {children}
    </div>
  );
}
