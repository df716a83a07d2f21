import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { useT } from "../i18n/I18nProvider.tsx";
import { apiErrorOf, trpc } from "../trpc.ts";
import { focusFirstInvalid } from "../ui/validation.ts";
import { meetingPath } from "./calendar.ts";
import { serverFieldErrors, seriesInputOf, validate, weekdayOf, type Draft, type Errors, type Field } from "./editor-model.ts";
import { refreshMeetings, type SeriesDetail } from "./queries.ts";

/** What a change to one meeting of a series applies to: that meeting, it and those after, or the whole series. */
export type Scope = "only" | "following" | "all";

/**
 * The series editor's state: the draft, its errors (own checks first, then the server's),
 * the scope of a change, and the save and cancel calls; saving goes back to the calendar
 * (or to the meeting, for a change to one meeting).
 */
export function useSeriesForm({ initial, existing, recurrenceId }: { initial: Draft; existing?: SeriesDetail; recurrenceId?: string | null }) {
  const t = useT();
  const navigate = useNavigate();
  const formRef = useRef<HTMLFormElement>(null);
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

  /** Switching to the whole series puts back the series' own start; to one meeting (or those after), that meeting's. */
  const chooseScope = (s: Scope) => {
    setScope(s);
    setDraft((d) => (s === "all" ? { ...d, startDate: initial.startDate, startTime: initial.startTime } : occurrenceDraft(d)));
  };
  /** Until the user picks weekdays, a weekly or monthly rule follows the start date's weekday. */
  const setStartDate = (startDate: string) => {
    const patch: Partial<Draft> = { startDate };
    if (/^\d{4}-\d{2}-\d{2}$/.test(startDate) && !weekdaysTouched) {
      patch.weekdays = [weekdayOf(startDate)];
      patch.monthWeekday = weekdayOf(startDate);
    }
    set(patch);
  };

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

  return {
    formRef,
    draft,
    set,
    setStartDate,
    onWeekdaysTouched: () => setWeekdaysTouched(true),
    scope,
    chooseScope,
    status,
    failed,
    shown,
    err,
    pending,
    submit,
    updateOccurrence,
    cancelSeries,
  };
}
