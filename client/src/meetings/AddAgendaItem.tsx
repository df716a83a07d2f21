import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { ageOf, subjectNames } from "../cases/shared.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import type { MessageKey } from "../i18n/types.ts";
import { apiErrorOf, trpc } from "../trpc.ts";
import { SelectField, TextAreaField, TextField } from "../ui/FormField.tsx";
import { ErrorMessage } from "../ui/messages.tsx";
import { focusFirstInvalid } from "../ui/validation.ts";
import { useMyCases } from "./Agenda.tsx";
import { refreshMeetings, type MeetingDetail } from "./queries.ts";

type Kind = "case" | "anonymous" | "topic";
type Errors = Partial<Record<"caseId" | "pseudonym" | "description" | "title" | "plannedMinutes", MessageKey>>;

/**
 * Legg til på dagsordenen: a case (only when the consent covers every participating unit
 * for meetings; otherwise the units that lack it are named, with anonymous discussion or
 * the case's consent as the ways on), an anonymous discussion, or a topic.
 */
export function AddAgendaItem({ detail, onStatus }: { detail: MeetingDetail; onStatus: (s: string) => void }) {
  const t = useT();
  const headingId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [kind, setKind] = useState<Kind>("case");
  const [caseId, setCaseId] = useState("");
  const [linkedCaseId, setLinkedCaseId] = useState<string | null>(null);
  const [pseudonym, setPseudonym] = useState("");
  const [description, setDescription] = useState("");
  const [title, setTitle] = useState("");
  const [plannedMinutes, setPlannedMinutes] = useState("");
  const [presenter, setPresenter] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const cases = useMyCases();
  const meetingId = detail.meeting.id;
  const eligibility = useQuery({ ...trpc.agenda.eligibility.queryOptions({ meetingId, caseId }), enabled: kind === "case" && caseId !== "", retry: false });
  const reset = () => {
    setCaseId("");
    setLinkedCaseId(null);
    setPseudonym("");
    setDescription("");
    setTitle("");
    setPlannedMinutes("");
    setPresenter("");
  };
  const add = useMutation(
    trpc.agenda.add.mutationOptions({
      onSuccess: async () => {
        reset();
        onStatus(t("meetings.add.added"));
        await refreshMeetings();
      },
    }),
  );
  const server = apiErrorOf(add.error).fieldErrors;
  const serverError = (k: string) => (Object.keys(server ?? {}).some((p) => p.endsWith(k)) ? t("errors.fieldInvalid") : null);
  const err = (k: keyof Errors) => (errors[k] ? t(errors[k]!) : serverError(k));

  const discussAnonymously = () => {
    const c = cases.data?.find((x) => x.id === caseId);
    const age = c?.subjects[0] ? ageOf(c.subjects[0] as { birthDate: string | null; birthYear: number | null }) : null;
    setKind("anonymous");
    setLinkedCaseId(caseId);
    setPseudonym(t("meetings.add.pseudonymSuggestion", { age: age === null ? "unknown" : age }));
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLInputElement>("input[name='pseudonym']")?.focus());
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (add.isPending) return;
    const found: Errors = {};
    if (kind === "case" && !caseId) found.caseId = "meetings.add.errors.caseRequired";
    if (kind === "anonymous" && !pseudonym.trim()) found.pseudonym = "meetings.add.errors.pseudonymRequired";
    if (kind === "anonymous" && !description.trim()) found.description = "meetings.add.errors.descriptionRequired";
    if (kind === "topic" && !title.trim()) found.title = "meetings.add.errors.titleRequired";
    if (plannedMinutes && !(/^\d+$/.test(plannedMinutes) && Number(plannedMinutes) >= 1 && Number(plannedMinutes) <= 240)) found.plannedMinutes = "meetings.add.errors.minutesInvalid";
    setErrors(found);
    if (Object.keys(found).length) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    const item =
      kind === "case"
        ? { kind: "case" as const, caseId }
        : kind === "anonymous"
          ? { kind: "anonymous" as const, pseudonym: pseudonym.trim(), description: description.trim(), ...(linkedCaseId ? { linkedCaseId } : {}) }
          : { kind: "topic" as const, title: title.trim(), description: description.trim() };
    add.mutate({ meetingId, item, ...(plannedMinutes ? { plannedMinutes: Number(plannedMinutes) } : {}), ...(presenter ? { presenterUserId: presenter } : {}) });
  };
  const blocked = kind === "case" && eligibility.data && !eligibility.data.allowed;

  return (
    <section aria-labelledby={headingId} className="panel agenda-add no-print">
      <h3 id={headingId}>{t("meetings.add.heading")}</h3>
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        <fieldset className="fieldset">
          <legend>{t("meetings.add.kindLegend")}</legend>
          {(["case", "anonymous", "topic"] as const).map((k) => (
            <div className="radio" key={k}>
              <input type="radio" id={`${headingId}-${k}`} name="agenda-kind" checked={kind === k} onChange={() => setKind(k)} />
              <label htmlFor={`${headingId}-${k}`}>{t(`meetings.add.${k}`)}</label>
            </div>
          ))}
        </fieldset>
        {kind === "case" && (
          <>
            <SelectField label={t("meetings.add.chooseCase")} hint={t("meetings.add.chooseCaseHint")} value={caseId} onChange={(e) => setCaseId(e.target.value)} error={err("caseId")}>
              <option value="">{t("meetings.add.noCase")}</option>
              {/* Only the one who runs a case names it on an agenda (the server's mayNameOnAgenda). */}
              {(cases.data ?? []).filter((c) => c.isCoordinator).map((c) => (
                <option key={c.id} value={c.id}>
                  {subjectNames(c.subjects) || t("cases.noSubjects")}
                </option>
              ))}
            </SelectField>
            <div aria-live="polite">
              {caseId && eligibility.isPending && <p className="muted">{t("meetings.add.checking")}</p>}
              {eligibility.isError && <ErrorMessage error={eligibility.error} />}
              {eligibility.data?.allowed && <p className="alert alert--success">{t("meetings.add.allowed")}</p>}
              {blocked && (
                <div className="alert alert--info">
                  <p>{t("meetings.add.notAllowed", { units: eligibility.data!.lackingUnits.map((u) => u.name).join(", ") })}</p>
                  <div className="row-actions">
                    <button type="button" className="button button--small" onClick={discussAnonymously}>
                      {t("meetings.add.discussAnonymously")}
                    </button>
                    <Link className="button button--secondary button--small" to={`/saker/${caseId}/samtykke`}>
                      {t("meetings.add.consentLink")}
                    </Link>
                  </div>
                </div>
              )}
            </div>
          </>
        )}
        {kind === "anonymous" && (
          <>
            <p className="alert alert--info">{t("meetings.add.anonymousHint")}</p>
            <TextField label={t("meetings.add.pseudonym")} hint={t("meetings.add.pseudonymHint")} name="pseudonym" required maxLength={80} value={pseudonym} onChange={(e) => setPseudonym(e.target.value)} error={err("pseudonym")} />
            <TextAreaField label={t("meetings.add.description")} rows={3} required maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} error={err("description")} />
          </>
        )}
        {kind === "topic" && (
          <>
            <TextField label={t("meetings.add.topicTitle")} required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} error={err("title")} />
            <TextAreaField label={t("meetings.add.topicDescription")} rows={3} maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} error={err("description")} />
          </>
        )}
        <div className="field-row">
          <TextField label={t("meetings.add.plannedMinutes")} type="number" inputMode="numeric" min={1} max={240} value={plannedMinutes} onChange={(e) => setPlannedMinutes(e.target.value)} error={err("plannedMinutes")} />
          <SelectField label={t("meetings.add.presenter")} value={presenter} onChange={(e) => setPresenter(e.target.value)}>
            <option value="">{t("meetings.editor.nobody")}</option>
            {detail.participants.users.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="form__actions">
          <button type="submit" className="button" disabled={add.isPending || Boolean(blocked)}>
            {t("meetings.add.submit")}
          </button>
        </div>
        <ErrorMessage error={add.error && !server ? add.error : undefined} />
      </form>
    </section>
  );
}
