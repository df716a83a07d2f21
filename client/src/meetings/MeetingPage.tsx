import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Link, useParams } from "react-router";
import type { Actor } from "../auth/session.ts";
import { isNotFound } from "../cases/shared.ts";
import { useFormat, useT } from "../i18n/I18nProvider.tsx";
import { trpc } from "../trpc.ts";
import { ConfirmButton } from "../ui/ConfirmButton.tsx";
import { ErrorMessage, LoadFailed, Loading, StatusMessage } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import { Agenda } from "./Agenda.tsx";
import { Attendance } from "./Attendance.tsx";
import { kindLabel } from "./CalendarViews.tsx";
import { MinutesStatePanel } from "./MinutesState.tsx";
import { refreshMeetings, useMeeting, useOpenMeeting, type MeetingDetail } from "./queries.ts";
import "./meetings.css";

function NotFound() {
  const t = useT();
  return (
    <>
      <PageHeading>{t("meetings.title")}</PageHeading>
      <p role="alert" className="alert alert--error">
        {t("meetings.meeting.notFound")}
      </p>
      <p>
        <Link to="/moter">{t("meetings.meeting.back")}</Link>
      </p>
    </>
  );
}

/** /moter/:seriesId/:recurrenceId: the meeting at that occurrence (created on first visit). */
export function OccurrencePage({ actor }: { actor: Actor }) {
  const { seriesId = "", recurrenceId = "" } = useParams();
  const opened = useOpenMeeting(seriesId, recurrenceId);
  if (opened.isPending) return <Loading />;
  if (opened.isError) return isNotFound(opened.error) ? <NotFound /> : <LoadFailed error={opened.error} onRetry={() => void opened.refetch()} />;
  return <MeetingView actor={actor} meetingId={opened.data.meetingId} />;
}

/** /moter/mote/:meetingId: a meeting by its id (from a case's list, or after carrying items over). */
export function MeetingByIdPage({ actor }: { actor: Actor }) {
  const { meetingId = "" } = useParams();
  return <MeetingView actor={actor} meetingId={meetingId} />;
}

function MeetingView({ actor, meetingId }: { actor: Actor; meetingId: string }) {
  const meeting = useMeeting(meetingId);
  if (meeting.isPending) return <Loading />;
  if (meeting.isError) return isNotFound(meeting.error) ? <NotFound /> : <LoadFailed error={meeting.error} onRetry={() => void meeting.refetch()} />;
  return <MeetingContent actor={actor} detail={meeting.data} />;
}

function MeetingContent({ actor, detail }: { actor: Actor; detail: MeetingDetail }) {
  const t = useT();
  const format = useFormat();
  const { meeting, series, participants, abilities } = detail;
  const detailsId = useId();
  const [status, setStatus] = useState<string | null>(null);
  const personName = (id: string | null) => (id ? (participants.users.find((u) => u.id === id)?.name ?? null) : null);
  const cancelled = meeting.status === "cancelled";
  const cancel = useMutation(
    trpc.meetings.updateOccurrence.mutationOptions({
      onSuccess: async () => {
        setStatus(t("meetings.status.cancelled"));
        await refreshMeetings();
      },
    }),
  );
  const locked = meeting.minutesState === "approved";
  return (
    <>
      <p className="breadcrumb no-print">
        <Link to={`/moter?visning=maned&dato=${meeting.recurrenceId.slice(0, 10)}`}>{t("meetings.meeting.back")}</Link>
      </p>
      <PageHeading>{series.title}</PageHeading>
      <StatusMessage>{status}</StatusMessage>
      {cancelled && <p className="alert alert--info">{t("meetings.meeting.cancelledNotice")}</p>}
      <section aria-labelledby={detailsId} className="panel meeting-details">
        <h2 id={detailsId} className="visually-hidden">
          {t("meetings.editor.about")}
        </h2>
        <dl className="facts">
          <dt>{t("meetings.meeting.kind")}</dt>
          <dd>{kindLabel(t, series)}</dd>
          <dt>{t("meetings.meeting.when")}</dt>
          <dd>
            {cancelled ? <s>{format.dateTime(meeting.start)}</s> : format.dateTime(meeting.start)}–{format.time(meeting.end)}
          </dd>
          <dt>{t("meetings.meeting.status")}</dt>
          <dd>{t(`meetings.status.${meeting.status}`)}</dd>
          {meeting.place && (
            <>
              <dt>{t("meetings.meeting.where")}</dt>
              <dd>{meeting.place}</dd>
            </>
          )}
          {meeting.videoLink && (
            <>
              <dt>{t("meetings.meeting.video")}</dt>
              <dd>
                <a href={meeting.videoLink} rel="noreferrer noopener" target="_blank">
                  {t("meetings.meeting.openVideo")}
                </a>
              </dd>
            </>
          )}
          <dt>{t("meetings.meeting.chair")}</dt>
          <dd>{personName(series.chairUserId) ?? t("meetings.meeting.noOne")}</dd>
          <dt>{t("meetings.meeting.minuteTaker")}</dt>
          <dd>{personName(series.minuteTakerUserId) ?? t("meetings.meeting.noOne")}</dd>
          <dt>{t("meetings.meeting.participants")}</dt>
          <dd>
            {[...participants.units.map((u) => u.name), ...participants.users.map((u) => u.name), ...participants.externals.map((x) => t("meetings.meeting.externalWithRole", { name: x.name, role: x.role }))].join(", ") ||
              t("meetings.meeting.noOne")}
          </dd>
        </dl>
        <div className="row-actions no-print">
          <a className="button button--secondary button--small" href={`/api/meetings/${meeting.id}.ics`} download>
            {t("meetings.meeting.downloadIcs")}
          </a>
          <Link className="button button--secondary button--small" to={`/moter/mote/${meeting.id}/utskrift`}>
            {t("meetings.meeting.print")}
          </Link>
          {abilities.edit && (
            <Link className="button button--secondary button--small" to={`/moter/serie/${series.id}?fra=${encodeURIComponent(meeting.recurrenceId)}`}>
              {t("meetings.meeting.editSeries")}
            </Link>
          )}
        </div>
        {abilities.edit && !cancelled && (
          <div className="no-print">
            <ConfirmButton
              label={t("meetings.editor.cancelOccurrence")}
              question={t("meetings.editor.cancelOccurrenceQuestion")}
              confirmLabel={t("meetings.editor.cancelOccurrenceConfirm")}
              onConfirm={() => cancel.mutate({ seriesId: series.id, recurrenceId: meeting.recurrenceId, status: "cancelled" })}
            />
          </div>
        )}
        <ErrorMessage error={cancel.error} />
      </section>
      <Attendance detail={detail} />
      <Agenda actor={actor} detail={detail} locked={locked} onStatus={setStatus} />
      <MinutesStatePanel detail={detail} onStatus={setStatus} />
    </>
  );
}
