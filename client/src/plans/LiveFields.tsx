import { useEffect, useRef, useState } from "react";
import { TextAreaField, TextField } from "../ui/FormField.tsx";

type LiveProps = {
  label: string;
  hint?: string;
  /** The value in the shared document. */
  value: string;
  /** Writes a valid value to the document; returns an error text to show instead. */
  onCommit: (value: string) => string | null;
  disabled?: boolean;
  multiline?: boolean;
  maxLength?: number;
};

/**
 * A text field bound to one field of the live plan: every keystroke that leaves the
 * value valid is written to the shared document (so the others see it at once). While
 * the field has focus it shows what the user is typing; a change by someone else to
 * the same field replaces it (last writer wins, per field). An invalid draft (an empty
 * title) is not written, is explained, and is dropped on blur.
 */
export function LiveTextField({ label, hint, value, onCommit, disabled, multiline, maxLength }: LiveProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const committed = useRef(value);

  useEffect(() => {
    // Titles are stored trimmed: "Leksehjelp " typed here is "Leksehjelp" there, not a change by someone else.
    if (value.trim() !== committed.current.trim()) {
      committed.current = value;
      setDraft((d) => (d === null ? null : value));
      setError(null);
    }
  }, [value]);

  const common = {
    label,
    hint,
    value: draft ?? value,
    disabled,
    maxLength,
    error,
    onFocus: () => setDraft(value),
    onBlur: () => {
      setDraft(null);
      setError(null);
    },
    onChange: (e: { target: { value: string } }) => {
      const next = e.target.value;
      setDraft(next);
      const problem = onCommit(next);
      setError(problem);
      if (!problem) committed.current = next;
    },
  };
  return multiline ? <TextAreaField {...common} rows={3} /> : <TextField {...common} />;
}
