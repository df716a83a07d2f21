import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { trpc } from "../trpc.ts";
import { TextAreaField } from "../ui/FormField.tsx";
import { ErrorMessage } from "../ui/messages.tsx";
import { refreshMeetings, type MeetingDetail } from "./queries.ts";
import type { MinutesState } from "./types.ts";

/** The minutes' state for the whole meeting: draft → under review → approved (locked); a correction reopens it with a reason. */
export function MinutesStatePanel({ detail, onStatus }: { detail: MeetingDetail; onStatus: (s: string) => void }) {
  const t = useT();
  const headingId = useId();
  const { meeting, abilities } = detail;
  const state = meeting.minutesState as MinutesState;
  const [correcting, setCorrecting] = useState(false);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const change = useMutation(
    trpc.agenda.setMinutesState.mutationOptions({
      onSuccess: async (_r, input) => {
        setCorrecting(false);
        setReason("");
        onStatus(t("meetings.minutes.state.changed", { state: t(`meetings.minutes.state.${input.to}`) }));
        await refreshMeetings();
      },
    }),
  );
  const to = (next: MinutesState, why?: string) => change.mutate({ meetingId: meeting.id, to: next, ...(why ? { reason: why } : {}) });
  const submitCorrection = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) {
      setReasonError(t("meetings.minutes.state.reasonRequired"));
      return;
    }
    setReasonError(null);
    to("draft", reason.trim());
  };
  // Draft ⇄ review as the policy's submitMinutes says (chair, minute-taker); approving as approveMinutes (the chair).
  const mayChange = abilities.submitMinutes;
  return (
    <section aria-labelledby={headingId} className="panel meeting-section no-print">
      <h2 id={headingId}>{t("meetings.minutes.state.heading")}</h2>
      <p role="status">
        <span className={state === "approved" ? "badge badge--ok" : state === "review" ? "badge badge--warn" : "badge badge--off"}>
          {t("meetings.minutes.state.current", { state: t(`meetings.minutes.state.${state}`), version: meeting.minutesVersion })}
        </span>
      </p>
      {state === "approved" && <p className="muted">{t("meetings.minutes.state.approvedLocked")}</p>}
      {mayChange && (
        <div className="row-actions">
          {state === "draft" && (
            <button type="button" className="button button--small" disabled={change.isPending} onClick={() => to("review")}>
              {t("meetings.minutes.state.toReview")}
            </button>
          )}
          {state !== "approved" && abilities.approveMinutes && (
            <button type="button" className="button button--small" disabled={change.isPending} onClick={() => to("approved")}>
              {t("meetings.minutes.state.approve")}
            </button>
          )}
          {state === "review" && (
            <button type="button" className="button button--secondary button--small" disabled={change.isPending} onClick={() => to("draft")}>
              {t("meetings.minutes.state.backToDraft")}
            </button>
          )}
          {state === "approved" && abilities.approveMinutes && !correcting && (
            <button type="button" className="button button--secondary button--small" onClick={() => setCorrecting(true)}>
              {t("meetings.minutes.state.correct")}
            </button>
          )}
        </div>
      )}
      {correcting && (
        <form className="form" onSubmit={submitCorrection} noValidate>
          <TextAreaField label={t("meetings.minutes.state.reason")} rows={2} required maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} error={reasonError} />
          <div className="form__actions">
            <button type="submit" className="button button--small" disabled={change.isPending}>
              {t("meetings.minutes.state.correctSubmit")}
            </button>
            <button type="button" className="button button--secondary button--small" onClick={() => setCorrecting(false)}>
              {t("common.cancel")}
            </button>
          </div>
        </form>
      )}
      <ErrorMessage error={change.error} />
    </section>
  );
}
