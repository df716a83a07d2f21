import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Link } from "react-router";
import { useFormat, useT } from "../i18n/I18nProvider.tsx";
import { trpc } from "../trpc.ts";
import { kindLabel } from "./CalendarViews.tsx";

/**
 * The case page's "Møter": the meetings where this case was discussed by name, to whom
 * may see those agenda items (agenda.ofCase decides). Shown only when the call succeeds.
 */
export function CaseMeetings({ caseId }: { caseId: string }) {
  const t = useT();
  const format = useFormat();
  const headingId = useId();
  const meetings = useQuery({ ...trpc.agenda.ofCase.queryOptions({ caseId }), retry: false });
  if (!meetings.isSuccess) return null;
  const list = [...meetings.data.meetings].sort((a, b) => b.start.localeCompare(a.start));
  return (
    <section aria-labelledby={headingId} className="panel case-meetings">
      <h2 id={headingId}>{t("meetings.ofCase.heading")}</h2>
      <p className="muted">{t("meetings.ofCase.explain")}</p>
      {list.length === 0 ? (
        <p>{t("meetings.ofCase.empty")}</p>
      ) : (
        <ul className="case-meetings__list">
          {list.map((m) => (
            <li key={m.agendaItemId}>
              <Link to={`/moter/mote/${m.meetingId}`}>{m.title}</Link> <span className="muted">{t("meetings.ofCase.when", { date: format.dateTime(m.start), kind: kindLabel(t, { kind: m.kind, kindName: null }) })}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
