import { declineReasons, failReasons, MAX_REFERRAL_FIELD, MAX_REFERRAL_NEED, type DeclineReason, type FailReason, type ReferralMove } from "@laget/domain";
import type { ReferralStatus } from "@laget/policy";
import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { isoDay } from "../cases/shared.ts";
import { queryClient, trpc } from "../trpc.ts";
import { FormActions } from "../ui/FormActions.tsx";
import { TextAreaField, TextField } from "../ui/FormField.tsx";
import { ErrorMessage, StatusMessage } from "../ui/messages.tsx";
import { refreshReferrals, type ReferralView } from "./queries.ts";
import { SuggestOfferField } from "./SuggestOfferField.tsx";

/** Moves made with one click; the others ask for what the lifecycle table requires first. */
const direct: readonly ReferralStatus[] = ["sent", "received", "accepted", "in_progress"];

/**
 * The buttons of a referral: only the moves the server lists in `abilities.moves` (the
 * policy's lifecycle table for this person's side), each with the reason, date or
 * outcome it needs. A refused move says why in the catalog's words.
 */
export function ReferralActions({ view }: { view: ReferralView }) {
  const t = useT();
  const headingId = useId();
  const [asking, setAsking] = useState<ReferralStatus | null>(null);
  const [done, setDone] = useState<ReferralStatus | null>(null);
  const move = useMutation(
    trpc.referrals.move.mutationOptions({
      onSuccess: async (updated) => {
        queryClient.setQueryData(trpc.referrals.get.queryKey({ referralId: view.id }), updated);
        setAsking(null);
        setDone(updated.status);
        await refreshReferrals();
      },
    }),
  );
  const send = (m: ReferralMove) => {
    if (move.isPending) return;
    setDone(null);
    move.mutate({ referralId: view.id, move: m });
  };
  const moves = view.abilities.moves;
  return (
    <section aria-labelledby={headingId} className="panel referral-actions">
      <h2 id={headingId}>{t("referrals.actions.heading")}</h2>
      <StatusMessage>{done && t("referrals.actions.done", { status: t(`referrals.status.${done}`) })}</StatusMessage>
      <ErrorMessage error={move.error} />
      {moves.length === 0 ? (
        <p className="muted">{t("referrals.actions.none")}</p>
      ) : (
        <>
          {moves.includes("received") && <p className="field__hint">{t("referrals.actions.receivedHint")}</p>}
          <div className="row-actions">
            {moves.map((to) =>
              direct.includes(to) ? (
                <button key={to} type="button" className="button" disabled={move.isPending} onClick={() => send({ to } as ReferralMove)}>
                  {t(buttonKey[to])}
                </button>
              ) : (
                <button
                  key={to}
                  type="button"
                  className={to === "cancelled" || to === "declined" ? "button button--secondary" : "button"}
                  aria-expanded={asking === to}
                  onClick={() => setAsking(asking === to ? null : to)}
                >
                  {t(buttonKey[to])}
                </button>
              ),
            )}
          </div>
          {asking && moves.includes(asking) && <MoveForm to={asking} view={view} onMove={send} onClose={() => setAsking(null)} />}
        </>
      )}
    </section>
  );
}

type FormErrors = Partial<Record<"reason" | "text" | "date" | "outcome", string>>;

/** The form of a move that needs more than a click. */
function MoveForm({ to, view, onMove, onClose }: { to: ReferralStatus; view: ReferralView; onMove: (m: ReferralMove) => void; onClose: () => void }) {
  const t = useT();
  const [reason, setReason] = useState<string>("");
  const [text, setText] = useState("");
  const [date, setDate] = useState("");
  const [suggested, setSuggested] = useState("");
  const [errors, setErrors] = useState<FormErrors>({});
  const groupId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: FormErrors = {};
    if ((to === "declined" || to === "failed") && !reason) found.reason = t(to === "declined" ? "referrals.actions.declineReasonRequired" : "referrals.actions.failReasonRequired");
    if (to === "declined" && reason === "other" && !text.trim()) found.text = t("referrals.actions.declineOtherRequired");
    if (to === "on_hold" && !date) found.date = t("referrals.actions.resumeOnRequired");
    if (to === "completed" && !text.trim()) found.outcome = t("referrals.actions.outcomeRequired");
    if (text.length > (to === "completed" ? MAX_REFERRAL_NEED : MAX_REFERRAL_FIELD)) found.text = t("referrals.form.tooLong", { limit: to === "completed" ? MAX_REFERRAL_NEED : MAX_REFERRAL_FIELD });
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    if (to === "declined")
      onMove({ to, reason: reason as DeclineReason, reasonText: text.trim(), ...(suggested ? { suggestedOfferId: suggested } : {}) });
    else if (to === "failed") onMove({ to, reason: reason as FailReason });
    else if (to === "on_hold") onMove({ to, resumeOn: date });
    else if (to === "completed") onMove({ to, outcome: text.trim() });
    else if (to === "cancelled") onMove({ to, reasonText: text.trim() });
  };

  const radios = (legend: string, codes: readonly string[], label: (code: string) => string): ReactNode => (
    <fieldset className="fieldset" aria-describedby={errors.reason ? `${groupId}-error` : undefined}>
      <legend>{legend}</legend>
      {errors.reason && (
        <p id={`${groupId}-error`} className="field__error">
          {errors.reason}
        </p>
      )}
      {codes.map((code) => (
        <div className="checkbox" key={code}>
          <input
            id={`${groupId}-${code}`}
            type="radio"
            name={`${groupId}-reason`}
            value={code}
            checked={reason === code}
            aria-invalid={errors.reason ? true : undefined}
            onChange={() => setReason(code)}
          />
          <label htmlFor={`${groupId}-${code}`}>{label(code)}</label>
        </div>
      ))}
    </fieldset>
  );

  return (
    <form className="form referral-move" onSubmit={submit} noValidate>
      {to === "declined" && (
        <>
          {radios(t("referrals.actions.declineLegend"), declineReasons, (c) => t(`referrals.declineReason.${c as DeclineReason}`))}
          {reason === "other" && (
            <TextField label={t("referrals.actions.declineOther")} required value={text} onChange={(e) => setText(e.target.value)} error={errors.text} />
          )}
          <SuggestOfferField value={suggested} onChange={setSuggested} exceptOfferId={view.offer?.id ?? null} age={view.data?.age ?? null} />
        </>
      )}
      {to === "failed" && radios(t("referrals.actions.failLegend"), failReasons, (c) => t(`referrals.failReason.${c as FailReason}`))}
      {to === "on_hold" && (
        <TextField
          label={t("referrals.actions.resumeOn")}
          hint={t("referrals.actions.resumeOnHint")}
          type="date"
          required
          min={isoDay(new Date())}
          value={date}
          onChange={(e) => setDate(e.target.value)}
          error={errors.date}
        />
      )}
      {to === "completed" && (
        <TextAreaField
          label={t("referrals.actions.outcome")}
          hint={t("referrals.actions.outcomeHint")}
          required
          limit={MAX_REFERRAL_NEED}
          value={text}
          onChange={(e) => setText(e.target.value)}
          error={errors.outcome ?? errors.text}
        />
      )}
      {to === "cancelled" && (
        <TextField label={t("referrals.actions.cancelText")} hint={t("referrals.actions.cancelHint")} value={text} onChange={(e) => setText(e.target.value)} error={errors.text} />
      )}
      <FormActions small submit={t(confirmKey[to])}>
        <button type="button" className="button button--secondary button--small" onClick={onClose}>
          {t("referrals.actions.close")}
        </button>
      </FormActions>
    </form>
  );
}

/** Each move's button ("Jeg tar denne" for the claim). */
const buttonKey = {
  draft: "referrals.actions.close",
  sent: "referrals.actions.sent",
  received: "referrals.actions.received",
  accepted: "referrals.actions.accepted",
  declined: "referrals.actions.declined",
  on_hold: "referrals.actions.on_hold",
  in_progress: "referrals.actions.in_progress",
  completed: "referrals.actions.completed",
  failed: "referrals.actions.failed",
  cancelled: "referrals.actions.cancelled",
} as const satisfies Record<ReferralStatus, string>;

/** Each asking form's submit button. */
const confirmKey = {
  draft: "referrals.actions.close",
  sent: "referrals.actions.sent",
  received: "referrals.actions.received",
  accepted: "referrals.actions.accepted",
  in_progress: "referrals.actions.in_progress",
  declined: "referrals.actions.declineConfirm",
  on_hold: "referrals.actions.onHoldConfirm",
  completed: "referrals.actions.completeConfirm",
  failed: "referrals.actions.failConfirm",
  cancelled: "referrals.actions.cancelConfirm",
} as const satisfies Record<ReferralStatus, string>;
