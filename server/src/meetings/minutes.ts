import type { MinutesState } from "@laget/policy";
import type { AsActor } from "../auth/actor.ts";
import { appendAudit } from "../audit/log.ts";
import { AppError } from "../errors.ts";
import type { EventBus } from "../events/bus.ts";
import { authorizeMeeting } from "./access.ts";
import { visibleItems } from "./agenda-access.ts";
import { invalidateMinutes } from "./agenda.ts";
import { readMinutesText } from "./minutes-kind.ts";

/**
 * A meeting's minutes state (DESIGN.md §6): draft → review → approved. Approval locks every
 * item's minutes (their live documents become read-only at once, on every node) and keeps
 * the approved text of each item as a version; approved minutes are corrected only by
 * reopening them as a draft with a reason, and the next approval is the next version,
 * carrying that reason. The chair and the minute-taker move a draft to review and back;
 * only the chair approves and reopens.
 */

type Transition = { from: MinutesState; to: MinutesState; action: "submitMinutes" | "approveMinutes"; audit: string };
const transitions: readonly Transition[] = [
  { from: "draft", to: "review", action: "submitMinutes", audit: "minutes.submit" },
  { from: "review", to: "draft", action: "submitMinutes", audit: "minutes.return" },
  { from: "review", to: "approved", action: "approveMinutes", audit: "minutes.approve" },
  { from: "draft", to: "approved", action: "approveMinutes", audit: "minutes.approve" },
  // A correction: reopened with a reason, by the chair.
  { from: "approved", to: "draft", action: "approveMinutes", audit: "minutes.reopen" },
];

export async function setMinutesState({
  db,
  bus,
  actor,
  meetingId,
  to,
  reason,
}: AsActor & { bus: EventBus; meetingId: string; to: MinutesState; reason?: string }): Promise<{ minutesState: MinutesState; minutesVersion: number }> {
  const { meeting } = await authorizeMeeting({ db, actor, meetingId, action: "read" });
  const from = meeting.minutes_state as MinutesState;
  const transition = transitions.find((t) => t.from === from && t.to === to);
  if (!transition) throw new AppError("INVALID_STATE", `minutes cannot go from ${from} to ${to}`);
  await authorizeMeeting({ db, actor, meetingId, action: transition.action });
  if (from === "approved" && !reason) throw new AppError("VALIDATION", "a correction of approved minutes needs a reason");

  // The state changes only from the state judged: a concurrent change makes this one fail.
  const changed = await db
    .updateTable("meetings")
    .set({ minutes_state: to, updated_at: new Date(), ...(from === "approved" ? { minutes_correction_reason: reason! } : {}) })
    .where("id", "=", meetingId)
    .where("minutes_state", "=", from)
    .executeTakeFirst();
  if (Number(changed.numUpdatedRows) === 0) throw new AppError("INVALID_STATE", "the minutes changed meanwhile");

  const items = await db.selectFrom("agenda_items").select("id").where("meeting_id", "=", meetingId).where("removed_at", "is", null).execute();
  const ids = items.map((i) => i.id);
  // Open minutes are judged again before this returns: read-only now wherever writing stopped.
  await invalidateMinutes(bus, ids, `minutes_${to}`);

  let version = meeting.minutes_version;
  if (to === "approved") {
    // Every acknowledged edit is in the write-ahead log: the text as it stands now, per item.
    const content: Record<string, string> = {};
    for (const id of ids) content[id] = await readMinutesText(db, id);
    version = meeting.minutes_version + 1;
    await db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom("meetings").select(["minutes_correction_reason"]).where("id", "=", meetingId).forUpdate().executeTakeFirstOrThrow();
      await trx
        .insertInto("meeting_minutes_versions")
        .values({ meeting_id: meetingId, version, content: JSON.stringify(content), reason: current.minutes_correction_reason, approved_by: actor.id })
        .execute();
      await trx.updateTable("meetings").set({ minutes_version: version, minutes_correction_reason: null }).where("id", "=", meetingId).execute();
    });
  }
  await appendAudit(db, actor.municipalityId, [
    { actorUserId: actor.id, actorUnitId: null, action: transition.audit, resourceType: "meeting", resourceId: meetingId, caseId: null, basis: null, purpose: "meeting" },
  ]);
  return { minutesState: to, minutesVersion: version };
}

export type MinutesVersionView = {
  version: number;
  reason: string | null;
  approvedBy: string;
  approvedAt: Date;
  /** The approved text of each item this reader may see now, in agenda order. */
  items: { agendaItemId: string; text: string }[];
};

/** The approved versions, newest first, each with only the items this reader may see. */
export async function minutesVersions({ db, actor, meetingId }: AsActor & { meetingId: string }): Promise<{ versions: MinutesVersionView[] }> {
  const access = await authorizeMeeting({ db, actor, meetingId, action: "read", audit: "minutes.versions" });
  const visible = await visibleItems({ db, actor, access });
  const rows = await db.selectFrom("meeting_minutes_versions").selectAll().where("meeting_id", "=", meetingId).orderBy("version", "desc").execute();
  const readable = visible.map((v) => v.row.id);
  return {
    versions: rows.map((r) => {
      const content = (typeof r.content === "object" && r.content !== null ? r.content : {}) as Record<string, unknown>;
      return {
        version: r.version,
        reason: r.reason,
        approvedBy: r.approved_by,
        approvedAt: r.approved_at,
        items: readable.filter((id) => typeof content[id] === "string").map((id) => ({ agendaItemId: id, text: content[id] as string })),
      };
    }),
  };
}
