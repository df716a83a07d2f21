import { useId } from "react";
import { Link } from "react-router";
import { useFormat, useI18n, useT } from "../i18n/I18nProvider.tsx";
import { localeFor } from "../i18n/types.ts";
import type { MessageKey, TFunction } from "../i18n/types.ts";
import { byDay, meetingPath, monthLayout, weekLayout, type DayCell } from "./calendar.ts";
import type { OccurrenceSummary } from "./types.ts";

/** A meeting kind's name: the municipality's own, or the default's from the catalog. */
export function kindLabel(t: TFunction, o: { kind: string; kindName: string | null }): string {
  return o.kindName ?? t(`meetings.kind.${o.kind}` as MessageKey);
}

/** "Mandag 2. mars" for a calendar day, in the UI language. */
function useDayName() {
  const { language } = useI18n();
  const f = new Intl.DateTimeFormat(localeFor[language], { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" });
  return (day: string) => {
    const s = f.format(new Date(`${day}T00:00:00Z`));
    return s.charAt(0).toLocaleUpperCase() + s.slice(1);
  };
}

/** One meeting as a link: time, title, and whether it is cancelled (struck through) or moved. */
export function OccurrenceLink({ o, showKind = true }: { o: OccurrenceSummary; showKind?: boolean }) {
  const t = useT();
  const format = useFormat();
  const cancelled = o.status === "cancelled";
  return (
    <Link to={meetingPath(o)} className={cancelled ? "occurrence occurrence--cancelled" : "occurrence"}>
      <span className="occurrence__time">{format.time(o.start)}</span> {cancelled ? <s>{o.title}</s> : <span className="occurrence__title">{o.title}</span>}
      {showKind && <span className="occurrence__kind"> {kindLabel(t, o)}</span>}
      {cancelled && <span className="badge badge--off occurrence__flag">{t("meetings.status.cancelled")}</span>}
      {o.moved && !cancelled && <span className="badge badge--warn occurrence__flag">{t("meetings.moved")}</span>}
    </Link>
  );
}

const weekdayKeys = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;

/** A month as a table: weeks in rows, Monday first; every day lists its meetings. */
export function MonthView({ day, today, occurrences, caption }: { day: string; today: string; occurrences: readonly OccurrenceSummary[]; caption: string }) {
  const t = useT();
  const weeks = monthLayout(day, occurrences, today);
  return (
    <div className="table-scroll">
      <table className="month-view">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {weekdayKeys.map((k) => (
              <th scope="col" key={k}>
                {t(`meetings.weekday.${k}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={week[0]!.day}>
              {week.map((cell) => (
                <MonthCell key={cell.day} cell={cell} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MonthCell({ cell }: { cell: DayCell }) {
  const t = useT();
  const cls = ["month-view__day", cell.inMonth ? "" : "month-view__day--outside", cell.isToday ? "month-view__day--today" : ""].filter(Boolean).join(" ");
  return (
    <td className={cls} aria-current={cell.isToday ? "date" : undefined}>
      <span className="month-view__date">{Number(cell.day.slice(8, 10))}</span>
      {cell.occurrences.length > 0 && (
        <ul className="month-view__list">
          {cell.occurrences.map((o) => (
            <li key={`${o.seriesId}/${o.recurrenceId}`}>
              <OccurrenceLink o={o} showKind={false} />
            </li>
          ))}
        </ul>
      )}
      {cell.isToday && <span className="visually-hidden"> {t("meetings.todayMark")}</span>}
    </td>
  );
}

/** A week: seven days, each a section with its meetings in start order. */
export function WeekView({ day, today, occurrences }: { day: string; today: string; occurrences: readonly OccurrenceSummary[] }) {
  const days = weekLayout(day, occurrences, today);
  return (
    <ol className="week-view">
      {days.map((cell) => (
        <DaySection key={cell.day} cell={cell} compactEmpty />
      ))}
    </ol>
  );
}

function DaySection({ cell, compactEmpty }: { cell: DayCell; compactEmpty?: boolean }) {
  const t = useT();
  const dayName = useDayName();
  const headingId = useId();
  return (
    <li className={cell.isToday ? "day-block day-block--today" : "day-block"} aria-labelledby={headingId}>
      <h3 id={headingId} className="day-block__heading">
        {dayName(cell.day)} {cell.isToday && <span className="badge badge--ok">{t("meetings.navigate.today")}</span>}
      </h3>
      {cell.occurrences.length === 0 ? (
        compactEmpty && <p className="muted">{t("meetings.emptyDay")}</p>
      ) : (
        <ul className="day-block__list">
          {cell.occurrences.map((o) => (
            <li key={`${o.seriesId}/${o.recurrenceId}`}>
              <OccurrenceLink o={o} />
              {o.place && <span className="muted"> · {o.place}</span>}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** A list of the days that have meetings, in order. */
export function ListView({ today, occurrences }: { today: string; occurrences: readonly OccurrenceSummary[] }) {
  const t = useT();
  const days = [...byDay(occurrences)].sort(([a], [b]) => a.localeCompare(b));
  if (days.length === 0) return <p>{t("meetings.empty")}</p>;
  return (
    <ol className="week-view">
      {days.map(([day, list]) => (
        <DaySection key={day} cell={{ day, inMonth: true, isToday: day === today, occurrences: list }} />
      ))}
    </ol>
  );
}
