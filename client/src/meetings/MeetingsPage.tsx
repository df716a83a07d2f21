import { Link, useSearchParams } from "react-router";
import type { Actor } from "../auth/session.ts";
import { useFormat, useI18n, useT } from "../i18n/I18nProvider.tsx";
import { localeFor } from "../i18n/types.ts";
import { LoadFailed, Loading } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import { addDays, rangeOf, step, today as todayIn, views, type View } from "./calendar.ts";
import { ListView, MonthView, WeekView } from "./CalendarViews.tsx";
import { useMeetingList } from "./queries.ts";
import "./meetings.css";

const viewParam: Record<View, string> = { week: "uke", month: "maned", list: "liste" };

/** Who may arrange meetings: staff of a unit (not a volunteer contact). The server has the final word. */
export function organiserUnits(actor: Actor): { id: string; name: string }[] {
  const seen = new Map<string, string>();
  for (const m of actor.memberships) {
    if (m.role !== "volunteer_contact" && m.unitKind !== "volunteer") seen.set(m.unitId, m.unitName);
  }
  return [...seen].map(([id, name]) => ({ id, name }));
}

function isDay(value: string | null): value is string {
  return value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/**
 * /moter: the meetings the user takes part in, as a week, a month or a list (the view and
 * the day are in the address, so Back and a shared link keep them). Times in Norwegian time.
 */
export function MeetingsPage({ actor }: { actor: Actor }) {
  const t = useT();
  const { language } = useI18n();
  const format = useFormat();
  const [params, setParams] = useSearchParams();
  const view = views.find((v) => viewParam[v] === params.get("visning")) ?? "month";
  const now = todayIn();
  const dayParam = params.get("dato");
  const day = isDay(dayParam) ? dayParam : now;
  const range = rangeOf(view, day);
  const list = useMeetingList(range.from, range.to);
  const go = (next: { view?: View; day?: string }) => {
    const p = new URLSearchParams(params);
    p.set("visning", viewParam[next.view ?? view]);
    p.set("dato", next.day ?? day);
    setParams(p);
  };
  const monthName = new Intl.DateTimeFormat(localeFor[language], { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${day.slice(0, 7)}-01T00:00:00Z`));
  const heading =
    view === "month"
      ? monthName.charAt(0).toLocaleUpperCase() + monthName.slice(1)
      : t("meetings.range", { from: format.day(view === "week" ? range.first : day), to: format.day(view === "week" ? range.last : addDays(day, 59)) });
  const previousLabel = view === "week" ? t("meetings.navigate.previousWeek") : view === "month" ? t("meetings.navigate.previousMonth") : t("meetings.navigate.previousList");
  const nextLabel = view === "week" ? t("meetings.navigate.nextWeek") : view === "month" ? t("meetings.navigate.nextMonth") : t("meetings.navigate.nextList");
  const canCreate = organiserUnits(actor).length > 0;
  const occurrences = list.data?.occurrences ?? [];

  return (
    <>
      <PageHeading>{t("meetings.title")}</PageHeading>
      <p>{t("meetings.intro")}</p>
      {canCreate && (
        <p>
          <Link className="button" to="/moter/ny">
            {t("meetings.newSeries")}
          </Link>
        </p>
      )}
      <div className="calendar-bar">
        <div role="group" aria-label={t("meetings.views.label")} className="row-actions">
          {views.map((v) => (
            <button key={v} type="button" className="button button--secondary button--small button--toggle" aria-pressed={v === view} onClick={() => go({ view: v })}>
              {t(`meetings.views.${v}`)}
            </button>
          ))}
        </div>
        <nav aria-label={t("meetings.navigate.label")} className="row-actions">
          <button type="button" className="button button--secondary button--small" aria-label={previousLabel} onClick={() => go({ day: step(view, day, -1) })}>
            {t("meetings.navigate.previous")}
          </button>
          <button type="button" className="button button--secondary button--small" onClick={() => go({ day: now })}>
            {t("meetings.navigate.today")}
          </button>
          <button type="button" className="button button--secondary button--small" aria-label={nextLabel} onClick={() => go({ day: step(view, day, 1) })}>
            {t("meetings.navigate.next")}
          </button>
        </nav>
      </div>
      <h2 aria-live="polite">{heading}</h2>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <LoadFailed error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <>
          <p role="status" className="muted">
            {t("meetings.count", { count: occurrences.filter((o) => o.status !== "cancelled").length })}
          </p>
          {view === "month" && <MonthView day={day} today={now} occurrences={occurrences} caption={heading} />}
          {view === "week" && <WeekView day={day} today={now} occurrences={occurrences} />}
          {view === "list" && <ListView today={now} occurrences={occurrences} />}
        </>
      )}
    </>
  );
}
