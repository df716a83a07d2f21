import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { Link, useParams } from "react-router";
import { isNotFound } from "../cases/shared.ts";
import { useFormat, useT } from "../i18n/I18nProvider.tsx";
import { trpc } from "../trpc.ts";
import { LoadFailed, Loading } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import { itemTitle } from "./Agenda.tsx";
import type { MinutesState, OutcomeKind } from "./types.ts";
import "./meetings.css";

/**
 * /moter/mote/:meetingId/utskrift: the minutes as this reader may see them (agenda.print
 * leaves out the items they may not), laid out for paper; PDF through the browser's print.
 */
export function MeetingPrintView() {
  const t = useT();
  const format = useFormat();
  const { meetingId = "" } = useParams();
  const print = useQuery(trpc.agenda.print.queryOptions({ meetingId }));
  useEffect(() => {
    document.body.classList.add("print-page");
    return () => document.body.classList.remove("print-page");
  }, []);
  if (print.isPending) return <Loading />;
  if (print.isError) return isNotFound(print.error) ? <p className="alert alert--error">{t("meetings.meeting.notFound")}</p> : <LoadFailed error={print.error} onRetry={() => void print.refetch()} />;
  const { meeting, items } = print.data;
  return (
    <article className="meeting-print">
      <p className="no-print">
        <Link to={`/moter/mote/${meetingId}`}>{t("meetings.print.back")}</Link>
      </p>
      <PageHeading>{t("meetings.print.title", { title: meeting.title })}</PageHeading>
      <p>{t("meetings.print.date", { date: format.dateTime(meeting.start) })}</p>
      <p>{t("meetings.print.state", { state: t(`meetings.minutes.state.${meeting.minutesState as MinutesState}`) })}</p>
      <p className="muted">{t("meetings.print.leftOut")}</p>
      <div className="row-actions no-print">
        <button type="button" className="button" onClick={() => window.print()}>
          {t("meetings.print.print")}
        </button>
        <span className="muted">{t("meetings.print.printHint")}</span>
      </div>
      <ol className="meeting-print__items">
        {items.map((item) => (
          <li key={item.id}>
            <h2>{itemTitle(t, item)}</h2>
            {item.description && <p>{item.description}</p>}
            <h3>{t("meetings.minutes.heading")}</h3>
            {item.minutesText.trim() ? (
              item.minutesText.split(/\n+/).map((para, i) => <p key={i}>{para}</p>)
            ) : (
              <p className="muted">{t("meetings.print.noMinutes")}</p>
            )}
            {item.outcomes.length > 0 && (
              <>
                <h3>{t("meetings.outcomes.heading")}</h3>
                <ul>
                  {item.outcomes.map((o) => (
                    <li key={o.id}>{t("meetings.outcomes.rowLabel", { kind: t(`meetings.outcomes.kind.${o.kind as OutcomeKind}`), text: o.text })}</li>
                  ))}
                </ul>
              </>
            )}
          </li>
        ))}
      </ol>
    </article>
  );
}
