import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { useFormat, useT } from "../i18n/I18nProvider.tsx";
import { messageText } from "../i18n/catalog.ts";
import type { MessageKey, TFunction } from "../i18n/types.ts";
import { trpc } from "../trpc.ts";
import { previewInput, type Draft } from "./editor-model.ts";
import type { PreviewOccurrence } from "./types.ts";

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

/** The next ten dates as the rule stands, from the server's own expansion (holidays marked, skipped ones struck through). */
export function SeriesPreview({ draft }: { draft: Draft }) {
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
