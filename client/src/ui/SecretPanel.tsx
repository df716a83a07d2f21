import { useEffect, useRef, type ReactNode } from "react";
import { useCopyText } from "./useCopyText.ts";

export type SecretPanelLabels = { heading: string; intro: string; copy: string; copied: string; copyFailed: string; note: string; close: string };

/**
 * A secret shown once (a one-time password, a calendar address), with a button that copies
 * it and a close button. The panel takes focus when it appears and again when the secret
 * changes, so it is seen and read out whichever button produced it; `testId` marks the
 * secret for the browser tests, `children` go between the note and the close button.
 */
export function SecretPanel({ secret, testId, labels, onClose, children }: { secret: string; testId: string; labels: SecretPanelLabels; onClose: () => void; children?: ReactNode }) {
  const panelRef = useRef<HTMLDivElement>(null);
  const { codeRef, copy, setCopy, copyText } = useCopyText();

  useEffect(() => {
    setCopy(null);
    panelRef.current?.focus();
  }, [secret]);

  return (
    <div ref={panelRef} role="status" tabIndex={-1} className="otp-panel">
      <h2 className="otp-panel__heading">{labels.heading}</h2>
      <p>{labels.intro}</p>
      <p className="otp-panel__password">
        <code ref={codeRef} data-testid={testId} translate="no">
          {secret}
        </code>
      </p>
      <div className="form__actions">
        <button type="button" className="button button--small" onClick={() => void copyText(secret)}>
          {labels.copy}
        </button>
        {copy && <span className="otp-panel__copy">{copy === "copied" ? labels.copied : labels.copyFailed}</span>}
      </div>
      <p className="otp-panel__note">{labels.note}</p>
      {children}
      <button type="button" className="button button--secondary button--small" onClick={onClose}>
        {labels.close}
      </button>
    </div>
  );
}
