import type { AsActor } from "../auth/actor.ts";
import { appendAudit } from "../audit/log.ts";
import { authorizeMeeting } from "./access.ts";
import { namedItemEvent, visibleItems } from "./agenda-access.ts";
import { itemViews, type AgendaItemView } from "./agenda-views.ts";
import { instantOfLocal } from "./local-time.ts";
import { readMinutesText } from "./minutes-kind.ts";

/**
 * The printable minutes of a meeting for one reader (DESIGN.md §6): the items that reader
 * may see, each with its minutes' text and outcomes, and nothing of the others (not even
 * that there were others). Approved minutes print as approved (the latest version's text);
 * otherwise as they stand. The PDF is the browser's print of this view.
 */

export type PrintedItem = Omit<AgendaItemView, "abilities" | "documentName"> & { minutesText: string };

export type PrintedMinutes = {
  meeting: { id: string; seriesId: string; title: string; kind: string; start: string; place: string | null; minutesState: string; minutesVersion: number };
  items: PrintedItem[];
};

export async function printMinutes({ db, actor, meetingId }: AsActor & { meetingId: string }): Promise<PrintedMinutes> {
  const access = await authorizeMeeting({ db, actor, meetingId, action: "read", audit: "agenda.print" });
  const { meeting, series } = access;
  const items = await visibleItems({ db, actor, access });
  const views = await itemViews({ db, actor, items });
  let approved: Record<string, unknown> | null = null;
  if (meeting.minutes_state === "approved") {
    const v = await db.selectFrom("meeting_minutes_versions").select("content").where("meeting_id", "=", meetingId).where("version", "=", meeting.minutes_version).executeTakeFirst();
    approved = v && typeof v.content === "object" && v.content !== null ? (v.content as Record<string, unknown>) : {};
  }
  const printed: PrintedItem[] = [];
  for (const view of views) {
    const { abilities: _abilities, documentName: _name, ...rest } = view;
    const stored = approved?.[view.id];
    printed.push({ ...rest, minutesText: typeof stored === "string" ? stored : await readMinutesText(db, view.id) });
  }
  await appendAudit(db, actor.municipalityId, items.flatMap((i) => namedItemEvent(actor, i.resource, "agenda.print") ?? []));
  return {
    meeting: {
      id: meeting.id,
      seriesId: series.id,
      title: series.title,
      kind: series.kind,
      start: instantOfLocal(meeting.moved_to_local ?? meeting.recurrence_id, series.tzid).toISOString(),
      place: meeting.place ?? series.place,
      minutesState: meeting.minutes_state,
      minutesVersion: meeting.minutes_version,
    },
    items: printed,
  };
}
