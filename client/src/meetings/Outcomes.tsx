import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { useFormat, useT } from "../i18n/I18nProvider.tsx";
import { usePlanDirectory } from "../plans/shared.ts";
import { trpc } from "../trpc.ts";
import { ConfirmButton } from "../ui/ConfirmButton.tsx";
import { SelectField, TextAreaField, TextField } from "../ui/FormField.tsx";
import { ErrorMessage } from "../ui/messages.tsx";
import { refreshMeetings, type AgendaItem, type MeetingDetail, type Outcome } from "./queries.ts";
import { outcomeKinds, type OutcomeKind } from "./types.ts";

/** Utfall for one agenda item: information, decision or action (who, by when, evaluated when); an action on a named case becomes a measure in its plan. */
export function Outcomes({ detail, item, locked, onStatus }: { detail: MeetingDetail; item: AgendaItem; locked: boolean; onStatus: (s: string) => void }) {
  const t = useT();
  const headingId = useId();
  const canEdit = item.abilities.edit && !locked;
  return (
    <section aria-labelledby={headingId} className="outcomes">
      <h4 id={headingId}>{t("meetings.outcomes.heading")}</h4>
      {item.outcomes.length === 0 ? (
        <p className="muted">{t("meetings.outcomes.none")}</p>
      ) : (
        <ul className="outcomes__list">
          {item.outcomes.map((o) => (
            <OutcomeRow key={o.id} outcome={o} item={item} canEdit={canEdit} onStatus={onStatus} />
          ))}
        </ul>
      )}
      {canEdit && <AddOutcome detail={detail} item={item} onStatus={onStatus} />}
    </section>
  );
}

function OutcomeRow({ outcome: o, item, canEdit, onStatus }: { outcome: Outcome; item: AgendaItem; canEdit: boolean; onStatus: (s: string) => void }) {
  const t = useT();
  const format = useFormat();
  const directory = usePlanDirectory();
  const toMeasure = useMutation(
    trpc.agenda.toMeasure.mutationOptions({
      onSuccess: async () => {
        onStatus(t("meetings.outcomes.madeMeasure"));
        await refreshMeetings();
      },
    }),
  );
  const remove = useMutation(
    trpc.agenda.removeOutcome.mutationOptions({
      onSuccess: async () => {
        onStatus(t("meetings.outcomes.removed"));
        await refreshMeetings();
      },
    }),
  );
  const who = [directory.unitName(o.responsibleUnitId), directory.personName(o.responsibleUserId)].filter(Boolean).join(", ");
  const inPlan = o.planMeasureId !== null && o.planMeasureId !== undefined;
  return (
    <li className="outcome" aria-label={t("meetings.outcomes.rowLabel", { kind: t(`meetings.outcomes.kind.${o.kind as OutcomeKind}`), text: o.text })}>
      <p>
        <span className="badge badge--off">{t(`meetings.outcomes.kind.${o.kind as OutcomeKind}`)}</span> {o.text}
      </p>
      {(who || o.deadline || o.evaluationDate) && (
        <p className="muted">
          {[who ? t("meetings.outcomes.responsibleLine", { who }) : null, o.deadline ? t("meetings.outcomes.deadlineLine", { date: format.day(o.deadline) }) : null, o.evaluationDate ? t("meetings.outcomes.evaluationLine", { date: format.day(o.evaluationDate) }) : null]
            .filter(Boolean)
            .join(" · ")}
        </p>
      )}
      {o.kind === "action" && o.responsibleMaySeePlan === false && <p className="alert alert--info">{t("meetings.outcomes.mayNotSeePlan")}</p>}
      {inPlan && o.planCaseId && (
        <p>
          <span className="badge badge--ok">{t("meetings.outcomes.inPlan")}</span> <Link to={`/saker/${o.planCaseId}/plan`}>{t("meetings.outcomes.openPlan")}</Link>
        </p>
      )}
      <div className="row-actions no-print">
        {o.kind === "action" && item.kind === "case" && item.caseId && !inPlan && canEdit && (
          <button type="button" className="button button--small" disabled={toMeasure.isPending} onClick={() => toMeasure.mutate({ outcomeId: o.id })}>
            {t("meetings.outcomes.toMeasure")}
          </button>
        )}
        {canEdit && !inPlan && (
          <ConfirmButton label={t("meetings.outcomes.remove")} question={t("meetings.outcomes.removeQuestion")} confirmLabel={t("meetings.outcomes.removeConfirm")} onConfirm={() => remove.mutate({ outcomeId: o.id })} />
        )}
      </div>
      <ErrorMessage error={toMeasure.error ?? remove.error} />
    </li>
  );
}

function AddOutcome({ item, onStatus }: { detail: MeetingDetail; item: AgendaItem; onStatus: (s: string) => void }) {
  const t = useT();
  const headingId = useId();
  const directory = usePlanDirectory();
  const [kind, setKind] = useState<OutcomeKind>("decision");
  const [text, setText] = useState("");
  const [unitId, setUnitId] = useState("");
  const [userId, setUserId] = useState("");
  const [deadline, setDeadline] = useState("");
  const [evaluationDate, setEvaluationDate] = useState("");
  const [error, setError] = useState<string | null>(null);
  const add = useMutation(
    trpc.agenda.addOutcome.mutationOptions({
      onSuccess: async () => {
        setText("");
        setUnitId("");
        setUserId("");
        setDeadline("");
        setEvaluationDate("");
        onStatus(t("meetings.outcomes.added"));
        await refreshMeetings();
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) {
      setError(t("meetings.outcomes.textRequired"));
      return;
    }
    setError(null);
    add.mutate({
      agendaItemId: item.id,
      kind,
      text: text.trim(),
      ...(kind === "action" && unitId ? { responsibleUnitId: unitId } : {}),
      ...(kind === "action" && userId ? { responsibleUserId: userId } : {}),
      ...(kind === "action" && deadline ? { deadline } : {}),
      ...(kind === "action" && evaluationDate ? { evaluationDate } : {}),
    });
  };
  return (
    <form className="form panel outcome-add no-print" role="group" aria-labelledby={headingId} onSubmit={submit} noValidate>
      <h5 id={headingId}>{t("meetings.outcomes.addHeading")}</h5>
      <SelectField label={t("meetings.outcomes.kindLabel")} value={kind} onChange={(e) => setKind(e.target.value as OutcomeKind)}>
        {outcomeKinds.map((k) => (
          <option key={k} value={k}>
            {t(`meetings.outcomes.kind.${k}`)}
          </option>
        ))}
      </SelectField>
      <TextAreaField label={t("meetings.outcomes.text")} rows={2} required maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} error={error} />
      {kind === "action" && (
        <div className="field-row">
          <SelectField label={t("meetings.outcomes.responsibleUnit")} value={unitId} onChange={(e) => setUnitId(e.target.value)}>
            <option value="">{t("meetings.outcomes.nobody")}</option>
            {directory.units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("meetings.outcomes.responsibleUser")} value={userId} onChange={(e) => setUserId(e.target.value)}>
            <option value="">{t("meetings.outcomes.nobody")}</option>
            {directory.people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.displayName}
              </option>
            ))}
          </SelectField>
          <TextField label={t("meetings.outcomes.deadline")} type="date" value={deadline} onChange={(e) => setDeadline(e.target.value)} />
          <TextField label={t("meetings.outcomes.evaluationDate")} type="date" value={evaluationDate} onChange={(e) => setEvaluationDate(e.target.value)} />
        </div>
      )}
      <div className="form__actions">
        <button type="submit" className="button button--small" disabled={add.isPending}>
          {t("meetings.outcomes.add")}
        </button>
      </div>
      <ErrorMessage error={add.error} />
    </form>
  );
}
