import { useQuery } from "@tanstack/react-query";
import { Link, useParams, useSearchParams } from "react-router";
import type { Actor } from "../auth/session.ts";
import { useFormat, useT } from "../i18n/I18nProvider.tsx";
import { usePlanDirectory } from "../plans/shared.ts";
import { trpc } from "../trpc.ts";
import { ConfirmButton } from "../ui/ConfirmButton.tsx";
import { SelectField, TextField } from "../ui/FormField.tsx";
import { ErrorMessage, LoadFailed, Loading, StatusMessage } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import { meetingPath, today } from "./calendar.ts";
import { kindLabel } from "./CalendarViews.tsx";
import { draftOfSeries, emptyDraft, type Draft } from "./editor-model.ts";
import { Fieldset } from "./Fieldset.tsx";
import { organiserUnits } from "./MeetingsPage.tsx";
import { useKinds, type SeriesDetail } from "./queries.ts";
import { RecurrenceFields } from "./RecurrenceFields.tsx";
import { SeriesParticipantsFields } from "./SeriesParticipantsFields.tsx";
import { SeriesPreview } from "./SeriesPreview.tsx";
import { useSeriesForm } from "./useSeriesForm.ts";
import "./meetings.css";

/** /moter/ny: a new series. */
export function NewSeriesPage({ actor }: { actor: Actor }) {
  const t = useT();
  const units = organiserUnits(actor);
  return (
    <>
      <p className="breadcrumb">
        <Link to="/moter">{t("meetings.editor.back")}</Link>
      </p>
      <PageHeading>{t("meetings.editor.newTitle")}</PageHeading>
      {units.length === 0 ? <p className="alert alert--info">{t("meetings.editor.noOrganiser")}</p> : <SeriesForm actor={actor} initial={emptyDraft(today(), units[0]!.id)} />}
    </>
  );
}

/** /moter/serie/:seriesId?fra=<recurrenceId>: change the series, or one meeting of it and maybe those after. */
export function EditSeriesPage({ actor }: { actor: Actor }) {
  const t = useT();
  const { seriesId = "" } = useParams();
  const [params] = useSearchParams();
  const recurrenceId = params.get("fra");
  const series = useQuery(trpc.meetings.getSeries.queryOptions({ seriesId }));
  const format = useFormat();
  return (
    <>
      <p className="breadcrumb">
        {recurrenceId ? <Link to={meetingPath({ seriesId, recurrenceId })}>{t("meetings.editor.backToMeeting")}</Link> : <Link to="/moter">{t("meetings.editor.back")}</Link>}
      </p>
      <PageHeading>{recurrenceId ? t("meetings.editor.editOccurrenceTitle", { date: format.day(recurrenceId.slice(0, 10)) }) : t("meetings.editor.editTitle")}</PageHeading>
      {series.isPending ? (
        <Loading />
      ) : series.isError ? (
        <LoadFailed error={series.error} onRetry={() => void series.refetch()} />
      ) : (
        <SeriesForm actor={actor} initial={draftOfSeries(series.data.series, series.data.participants)} existing={series.data} recurrenceId={recurrenceId} />
      )}
    </>
  );
}

function SeriesForm({ actor, initial, existing, recurrenceId }: { actor: Actor; initial: Draft; existing?: SeriesDetail; recurrenceId?: string | null }) {
  const t = useT();
  const kinds = useKinds();
  const directory = usePlanDirectory();
  const { formRef, draft, set, setStartDate, onWeekdaysTouched, scope, chooseScope, status, failed, shown, err, pending, submit, updateOccurrence, cancelSeries } = useSeriesForm({
    initial,
    existing,
    recurrenceId,
  });

  const seriesFieldsOff = scope === "only";
  const kindOptions = kinds.data?.kinds ?? [{ key: draft.kind, name: null }];

  return (
    <form ref={formRef} className="form series-editor" onSubmit={submit} noValidate>
      <StatusMessage>{status}</StatusMessage>
      <ErrorMessage error={failed && Object.keys(shown).length === 0 ? failed : undefined} />
      {existing && recurrenceId && (
        <Fieldset legend={t("meetings.editor.scope.legend")}>
          {(["only", "following", "all"] as const).map((s) => (
            <div className="radio" key={s}>
              <input type="radio" id={`scope-${s}`} name="scope" checked={scope === s} onChange={() => chooseScope(s)} />
              <label htmlFor={`scope-${s}`}>{t(`meetings.editor.scope.${s}`)}</label>
            </div>
          ))}
          {scope === "only" && <p className="field__hint">{t("meetings.editor.scope.onlyHint")}</p>}
          {scope === "following" && <p className="field__hint">{t("meetings.editor.scope.followingHint")}</p>}
        </Fieldset>
      )}

      <Fieldset legend={t("meetings.editor.about")}>
        <SelectField label={t("meetings.editor.kind")} value={draft.kind} disabled={seriesFieldsOff} onChange={(e) => set({ kind: e.target.value })} error={err("kind")}>
          {kindOptions.map((k) => (
            <option key={k.key} value={k.key}>
              {kindLabel(t, { kind: k.key, kindName: k.name })}
            </option>
          ))}
        </SelectField>
        <TextField label={t("meetings.editor.title")} hint={t("meetings.editor.titleHint")} required maxLength={200} disabled={seriesFieldsOff} value={draft.title} onChange={(e) => set({ title: e.target.value })} error={err("title")} />
        <SelectField label={t("meetings.editor.organiser")} value={draft.organiserUnitId} disabled={seriesFieldsOff} onChange={(e) => set({ organiserUnitId: e.target.value })} error={err("organiser")}>
          {organiserUnits(actor).map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
          {existing && !organiserUnits(actor).some((u) => u.id === draft.organiserUnitId) && <option value={draft.organiserUnitId}>{directory.unitName(draft.organiserUnitId) ?? draft.organiserUnitId}</option>}
        </SelectField>
        <SelectField label={t("meetings.editor.chair")} value={draft.chairUserId} disabled={seriesFieldsOff} onChange={(e) => set({ chairUserId: e.target.value })} error={err("chair")}>
          <option value="">{t("meetings.editor.nobody")}</option>
          {directory.people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.displayName}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("meetings.editor.minuteTaker")} value={draft.minuteTakerUserId} disabled={seriesFieldsOff} onChange={(e) => set({ minuteTakerUserId: e.target.value })} error={err("minuteTaker")}>
          <option value="">{t("meetings.editor.nobody")}</option>
          {directory.people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.displayName}
            </option>
          ))}
        </SelectField>
      </Fieldset>

      {!seriesFieldsOff && <SeriesParticipantsFields draft={draft} set={set} err={err} directory={directory} />}

      <Fieldset legend={t("meetings.editor.where")}>
        <TextField label={t("meetings.editor.place")} maxLength={200} value={draft.place} onChange={(e) => set({ place: e.target.value })} error={err("place")} />
        <TextField label={t("meetings.editor.videoLink")} type="url" maxLength={500} value={draft.videoLink} onChange={(e) => set({ videoLink: e.target.value })} error={err("videoLink")} />
      </Fieldset>

      <Fieldset legend={t("meetings.editor.when")}>
        <div className="field-row">
          <TextField label={t("meetings.editor.startDate")} type="date" required value={draft.startDate} onChange={(e) => setStartDate(e.target.value)} error={err("startDate")} />
          <TextField label={t("meetings.editor.startTime")} type="time" required value={draft.startTime} onChange={(e) => set({ startTime: e.target.value })} error={err("startTime")} />
          <TextField label={t("meetings.editor.duration")} type="number" inputMode="numeric" min={5} max={720} step={5} required value={draft.duration} onChange={(e) => set({ duration: e.target.value })} error={err("duration")} />
        </div>
      </Fieldset>

      {!seriesFieldsOff && <RecurrenceFields draft={draft} set={set} err={err} onWeekdaysTouched={onWeekdaysTouched} />}
      {!seriesFieldsOff && <SeriesPreview draft={draft} />}

      <div className="form__actions">
        <button type="submit" className="button" disabled={pending}>
          {existing ? t("meetings.editor.save") : t("meetings.editor.create")}
        </button>
      </div>
      {existing && scope === "only" && recurrenceId && (
        <ConfirmButton
          label={t("meetings.editor.cancelOccurrence")}
          question={t("meetings.editor.cancelOccurrenceQuestion")}
          confirmLabel={t("meetings.editor.cancelOccurrenceConfirm")}
          onConfirm={() => updateOccurrence.mutate({ seriesId: existing.series.id, recurrenceId, status: "cancelled" })}
        />
      )}
      {existing && scope === "all" && !existing.series.cancelled && (
        <ConfirmButton
          label={t("meetings.editor.cancelSeries")}
          question={t("meetings.editor.cancelSeriesQuestion")}
          confirmLabel={t("meetings.editor.cancelSeriesConfirm")}
          onConfirm={() => cancelSeries.mutate({ seriesId: existing.series.id })}
        />
      )}
      <ErrorMessage error={cancelSeries.error} />
    </form>
  );
}
