import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import type { Actor } from "../auth/session.ts";
import { useFormat, useT } from "../i18n/I18nProvider.tsx";
import { messageText } from "../i18n/catalog.ts";
import type { MessageKey, TFunction } from "../i18n/types.ts";
import { PeopleChooser } from "../messaging/PeopleChooser.tsx";
import { usePlanDirectory } from "../plans/shared.ts";
import { apiErrorOf, trpc } from "../trpc.ts";
import { ConfirmButton } from "../ui/ConfirmButton.tsx";
import { CheckboxField, SelectField, TextField } from "../ui/FormField.tsx";
import { ErrorMessage, LoadFailed, Loading, StatusMessage } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import { focusFirstInvalid } from "../ui/validation.ts";
import { meetingPath, today } from "./calendar.ts";
import { kindLabel } from "./CalendarViews.tsx";
import { draftOfSeries, emptyDraft, previewInput, serverFieldErrors, seriesInputOf, validate, weekdayOf, type Draft, type Errors, type Field } from "./editor-model.ts";
import { organiserUnits } from "./MeetingsPage.tsx";
import { refreshMeetings, useKinds, type SeriesDetail } from "./queries.ts";
import { holidayPolicies, weekdays, type PreviewOccurrence } from "./types.ts";
import "./meetings.css";

type Scope = "only" | "following" | "all";

/** A holiday's name in the UI language; a key the catalog lacks still reads as a holiday. */
export function holidayName(t: TFunction, key: string): string {
  const k = `meetings.holiday.${key}`;
  return messageText("nb", k) === undefined ? t("meetings.holiday.generic") : t(k as MessageKey);
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  const json = JSON.stringify(value);
  useEffect(() => {
    const id = setTimeout(() => setDebounced(JSON.parse(json) as T), ms);
    return () => clearTimeout(id);
  }, [json, ms]);
  return debounced;
}

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

function Fieldset({ legend, children, error }: { legend: string; children: ReactNode; error?: string | null }) {
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

function SeriesForm({ actor, initial, existing, recurrenceId }: { actor: Actor; initial: Draft; existing?: SeriesDetail; recurrenceId?: string | null }) {
  const t = useT();
  const navigate = useNavigate();
  const formRef = useRef<HTMLFormElement>(null);
  const kinds = useKinds();
  const directory = usePlanDirectory();
  const [scope, setScope] = useState<Scope>(recurrenceId ? "only" : "all");
  const occurrenceDraft = (d: Draft): Draft => (recurrenceId ? { ...d, startDate: recurrenceId.slice(0, 10), startTime: recurrenceId.slice(11, 16) } : d);
  const [draft, setDraft] = useState<Draft>(() => (recurrenceId ? occurrenceDraft(initial) : initial));
  const [errors, setErrors] = useState<Errors>({});
  const [weekdaysTouched, setWeekdaysTouched] = useState(Boolean(existing));
  const [status, setStatus] = useState<string | null>(null);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  const onDone = async (seriesId: string) => {
    await refreshMeetings();
    navigate(`/moter?visning=maned&dato=${draft.startDate}`, { state: { seriesId } });
  };
  const create = useMutation(trpc.meetings.createSeries.mutationOptions({ onSuccess: (r) => onDone(r.seriesId) }));
  const update = useMutation(trpc.meetings.updateSeries.mutationOptions({ onSuccess: (r) => onDone(r.seriesId) }));
  const updateOccurrence = useMutation(
    trpc.meetings.updateOccurrence.mutationOptions({
      onSuccess: async () => {
        await refreshMeetings();
        navigate(meetingPath({ seriesId: existing!.series.id, recurrenceId: recurrenceId! }));
      },
    }),
  );
  const cancelSeries = useMutation(
    trpc.meetings.cancelSeries.mutationOptions({
      onSuccess: async () => {
        setStatus(t("meetings.editor.seriesCancelled"));
        await refreshMeetings();
      },
    }),
  );
  const failed = create.error ?? update.error ?? updateOccurrence.error;
  const { fieldErrors, appCode } = apiErrorOf(failed);
  const shown: Errors = { ...serverFieldErrors(fieldErrors, appCode), ...errors };
  const err = (f: Field) => (shown[f] ? t(shown[f]!) : null);
  const pending = create.isPending || update.isPending || updateOccurrence.isPending;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (pending) return;
    const found = validate(draft);
    setErrors(found);
    if (Object.keys(found).length) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    const input = seriesInputOf(draft);
    if (!existing) create.mutate(input);
    else if (scope === "only" && recurrenceId) {
      const movedTo = `${draft.startDate}T${draft.startTime}:00`;
      updateOccurrence.mutate({
        seriesId: existing.series.id,
        recurrenceId,
        ...(movedTo !== recurrenceId ? { movedToLocal: movedTo } : {}),
        durationMinutes: input.durationMinutes,
        place: draft.place.trim() || null,
        videoLink: draft.videoLink.trim() || null,
      });
    } else if (scope === "following" && recurrenceId) update.mutate({ seriesId: existing.series.id, scope: "following", recurrenceId, changes: input });
    else update.mutate({ seriesId: existing.series.id, scope: "all", changes: input });
  };
  useEffect(() => {
    if (failed) requestAnimationFrame(() => focusFirstInvalid(formRef.current));
  }, [failed]);

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
              <input
                type="radio"
                id={`scope-${s}`}
                name="scope"
                checked={scope === s}
                onChange={() => {
                  setScope(s);
                  setDraft((d) => (s === "all" ? { ...d, startDate: initial.startDate, startTime: initial.startTime } : occurrenceDraft(d)));
                }}
              />
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

      {!seriesFieldsOff && (
        <Fieldset legend={t("meetings.editor.people")}>
          <Fieldset legend={t("meetings.editor.participantUnits")}>
            <div className="member-choices">
              {directory.units.map((u) => (
                <CheckboxField
                  key={u.id}
                  label={u.name}
                  checked={draft.participantUnitIds.includes(u.id)}
                  onChange={(e) => set({ participantUnitIds: e.target.checked ? [...draft.participantUnitIds, u.id] : draft.participantUnitIds.filter((id) => id !== u.id) })}
                />
              ))}
            </div>
          </Fieldset>
          <Fieldset legend={t("meetings.editor.participantUsers")}>
            <PeopleChooser people={directory.people} chosen={draft.participantUserIds} onChange={(ids) => set({ participantUserIds: ids })} />
          </Fieldset>
          <Fieldset legend={t("meetings.editor.externals")} error={err("externals")}>
            <p className="field__hint">{t("meetings.editor.externalsHint")}</p>
            {draft.externals.map((x, i) => (
              <div key={i} className="external-row" role="group" aria-label={t("meetings.editor.externalNumber", { number: i + 1 })}>
                <TextField label={t("meetings.editor.externalName")} maxLength={200} value={x.name} onChange={(e) => set({ externals: draft.externals.map((y, j) => (j === i ? { ...y, name: e.target.value } : y)) })} />
                <TextField
                  label={t("meetings.editor.externalRole")}
                  hint={t("meetings.editor.externalRoleHint")}
                  maxLength={100}
                  value={x.role}
                  onChange={(e) => set({ externals: draft.externals.map((y, j) => (j === i ? { ...y, role: e.target.value } : y)) })}
                />
                <button type="button" className="button button--secondary button--small" onClick={() => set({ externals: draft.externals.filter((_, j) => j !== i) })}>
                  {t("meetings.editor.removeExternal", { name: x.name || t("meetings.editor.externalNumber", { number: i + 1 }) })}
                </button>
              </div>
            ))}
            <button type="button" className="button button--secondary button--small" onClick={() => set({ externals: [...draft.externals, { name: "", role: "" }] })}>
              {t("meetings.editor.addExternal")}
            </button>
          </Fieldset>
        </Fieldset>
      )}

      <Fieldset legend={t("meetings.editor.where")}>
        <TextField label={t("meetings.editor.place")} maxLength={200} value={draft.place} onChange={(e) => set({ place: e.target.value })} error={err("place")} />
        <TextField label={t("meetings.editor.videoLink")} type="url" maxLength={500} value={draft.videoLink} onChange={(e) => set({ videoLink: e.target.value })} error={err("videoLink")} />
      </Fieldset>

      <Fieldset legend={t("meetings.editor.when")}>
        <div className="field-row">
          <TextField
            label={t("meetings.editor.startDate")}
            type="date"
            required
            value={draft.startDate}
            onChange={(e) => {
              const startDate = e.target.value;
              const patch: Partial<Draft> = { startDate };
              if (/^\d{4}-\d{2}-\d{2}$/.test(startDate) && !weekdaysTouched) {
                patch.weekdays = [weekdayOf(startDate)];
                patch.monthWeekday = weekdayOf(startDate);
              }
              set(patch);
            }}
            error={err("startDate")}
          />
          <TextField label={t("meetings.editor.startTime")} type="time" required value={draft.startTime} onChange={(e) => set({ startTime: e.target.value })} error={err("startTime")} />
          <TextField label={t("meetings.editor.duration")} type="number" inputMode="numeric" min={5} max={720} step={5} required value={draft.duration} onChange={(e) => set({ duration: e.target.value })} error={err("duration")} />
        </div>
      </Fieldset>

      {!seriesFieldsOff && (
        <RuleFields draft={draft} set={set} err={err} onWeekdaysTouched={() => setWeekdaysTouched(true)} />
      )}
      {!seriesFieldsOff && <Preview draft={draft} />}

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

function RuleFields({ draft, set, err, onWeekdaysTouched }: { draft: Draft; set: (p: Partial<Draft>) => void; err: (f: Field) => string | null; onWeekdaysTouched: () => void }) {
  const t = useT();
  const day = Number(draft.startDate.slice(8, 10)) || 1;
  return (
    <Fieldset legend={t("meetings.editor.repeat.legend")} error={err("repeat")}>
      <SelectField label={t("meetings.editor.repeat.label")} value={draft.freq} onChange={(e) => set({ freq: e.target.value as Draft["freq"] })}>
        {(["none", "daily", "weekly", "monthly"] as const).map((f) => (
          <option key={f} value={f}>
            {t(`meetings.editor.repeat.${f}`)}
          </option>
        ))}
      </SelectField>
      {draft.freq !== "none" && (
        <>
          <TextField
            label={t("meetings.editor.repeat.interval")}
            hint={t("meetings.editor.repeat.intervalHint", { unit: draft.freq })}
            type="number"
            inputMode="numeric"
            min={1}
            max={52}
            value={draft.interval}
            onChange={(e) => set({ interval: e.target.value })}
            error={err("interval")}
          />
          {draft.freq === "weekly" && (
            <Fieldset legend={t("meetings.editor.repeat.weekdays")} error={err("weekdays")}>
              <div className="weekday-choices">
                {weekdays.map((w) => (
                  <CheckboxField
                    key={w}
                    label={t(`meetings.weekday.${w}`)}
                    checked={draft.weekdays.includes(w)}
                    onChange={(e) => {
                      onWeekdaysTouched();
                      set({ weekdays: e.target.checked ? [...draft.weekdays, w] : draft.weekdays.filter((x) => x !== w) });
                    }}
                  />
                ))}
              </div>
            </Fieldset>
          )}
          {draft.freq === "monthly" && (
            <Fieldset legend={t("meetings.editor.repeat.monthlyBy")}>
              <div className="radio">
                <input type="radio" id="monthly-day" name="monthlyBy" checked={draft.monthlyBy === "monthday"} onChange={() => set({ monthlyBy: "monthday" })} />
                <label htmlFor="monthly-day">{t("meetings.editor.repeat.monthday", { day })}</label>
              </div>
              <div className="radio">
                <input type="radio" id="monthly-weekday" name="monthlyBy" checked={draft.monthlyBy === "weekday"} onChange={() => set({ monthlyBy: "weekday" })} />
                <label htmlFor="monthly-weekday">{t("meetings.editor.repeat.weekdayOfMonth")}</label>
              </div>
              {draft.monthlyBy === "weekday" && (
                <div className="field-row">
                  <SelectField label={t("meetings.editor.repeat.setPos")} value={draft.setPos} onChange={(e) => set({ setPos: e.target.value })} error={err("setPos")}>
                    {(["1", "2", "3", "4"] as const).map((p) => (
                      <option key={p} value={p}>
                        {t(`meetings.editor.repeat.setPosOption.${p}`)}
                      </option>
                    ))}
                    <option value="-1">{t("meetings.editor.repeat.setPosOption.last")}</option>
                  </SelectField>
                  <SelectField label={t("meetings.editor.repeat.weekdayLabel")} value={draft.monthWeekday} onChange={(e) => set({ monthWeekday: e.target.value as Draft["monthWeekday"] })}>
                    {weekdays.map((w) => (
                      <option key={w} value={w}>
                        {t(`meetings.weekday.${w}`)}
                      </option>
                    ))}
                  </SelectField>
                </div>
              )}
            </Fieldset>
          )}
          <Fieldset legend={t("meetings.editor.repeat.end")}>
            {(["never", "count", "until"] as const).map((k) => (
              <div className="radio" key={k}>
                <input type="radio" id={`end-${k}`} name="endKind" checked={draft.endKind === k} onChange={() => set({ endKind: k })} />
                <label htmlFor={`end-${k}`}>{t(`meetings.editor.repeat.${k}`)}</label>
              </div>
            ))}
            {draft.endKind === "count" && (
              <TextField label={t("meetings.editor.repeat.countValue")} type="number" inputMode="numeric" min={1} max={500} value={draft.count} onChange={(e) => set({ count: e.target.value })} error={err("count")} />
            )}
            {draft.endKind === "until" && <TextField label={t("meetings.editor.repeat.untilValue")} type="date" value={draft.until} onChange={(e) => set({ until: e.target.value })} error={err("until")} />}
          </Fieldset>
          <Fieldset legend={t("meetings.editor.holidays.legend")}>
            {holidayPolicies.map((p) => (
              <div className="radio" key={p}>
                <input type="radio" id={`holidays-${p}`} name="holidayPolicy" checked={draft.holidayPolicy === p} onChange={() => set({ holidayPolicy: p })} />
                <label htmlFor={`holidays-${p}`}>{t(`meetings.editor.holidays.${p}`)}</label>
              </div>
            ))}
          </Fieldset>
        </>
      )}
    </Fieldset>
  );
}

/** The next ten dates as the rule stands, from the server's own expansion (holidays marked, skipped ones struck through). */
function Preview({ draft }: { draft: Draft }) {
  const t = useT();
  const format = useFormat();
  const headingId = useId();
  const input = useDebounced(previewInput(draft), 350);
  const preview = useQuery({ ...trpc.meetings.preview.queryOptions(input!), enabled: input !== null, placeholderData: keepPreviousData, retry: false });
  return (
    <section aria-labelledby={headingId} className="panel series-preview">
      <h2 id={headingId}>{t("meetings.editor.preview.heading")}</h2>
      <div aria-live="polite">
        {input === null ? (
          <p className="muted">{t("meetings.editor.preview.waiting")}</p>
        ) : preview.isPending ? (
          <p className="muted">{t("meetings.editor.preview.loading")}</p>
        ) : preview.isError ? (
          <p className="muted">{t("meetings.editor.preview.failed")}</p>
        ) : preview.data.occurrences.length === 0 ? (
          <p>{t("meetings.editor.preview.empty")}</p>
        ) : (
          <ol className="series-preview__list">
            {preview.data.occurrences.map((o) => (
              <PreviewRow key={o.recurrenceId} o={o} format={format} t={t} />
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}

function PreviewRow({ o, format, t }: { o: PreviewOccurrence; format: ReturnType<typeof useFormat>; t: TFunction }) {
  const when = format.dateTime(o.start);
  const holiday = o.holiday ? holidayName(t, o.holiday) : null;
  const note =
    o.skipped === "holiday"
      ? t("meetings.editor.preview.skippedHoliday", { holiday: holiday ?? t("meetings.holiday.generic") })
      : o.skipped === "cancelled"
        ? t("meetings.editor.preview.cancelled")
        : o.skipped
          ? t("meetings.editor.preview.skippedExdate")
          : o.moved && holiday
            ? t("meetings.editor.preview.movedHoliday", { holiday })
            : o.moved
              ? t("meetings.editor.preview.moved")
              : holiday
                ? t("meetings.editor.preview.holiday", { holiday })
                : null;
  return (
    <li className={o.skipped ? "series-preview__item series-preview__item--skipped" : o.holiday ? "series-preview__item series-preview__item--holiday" : "series-preview__item"}>
      {o.skipped ? <s>{when}</s> : <span>{when}</span>}
      {note && <span className={o.skipped ? "badge badge--off" : "badge badge--warn"}>{note}</span>}
    </li>
  );
}
