import { decideMeeting } from "@laget/policy";
import { sql } from "kysely";
import { loadActor, type Actor } from "../auth/actor.ts";
import { policyActor } from "../cases/access.ts";
import type { Db } from "../db/connect.ts";
import type { EventBus } from "../events/bus.ts";
import type { Logger } from "../log.ts";
import { notify, type NotificationKind } from "../notifications/notifications.ts";
import { seriesResource } from "./access.ts";
import { seriesAudience } from "./events.ts";
import { overrideOf } from "./occurrences.ts";
import { expandSeries } from "./recurrence.ts";
import { specOf } from "./series-values.ts";
import { localDateOf } from "./time.ts";

/**
 * Meeting reminders (issue 11 item 7), exactly once across nodes: every node scans each
 * minute; a reminder is first recorded in meeting_reminders (primary key kind + subject +
 * user) with insert … on conflict do nothing, in the transaction that also writes the
 * notification, so only the node whose insert went in notifies (a concurrent insert of
 * the same key waits for the first to commit, then does nothing). Notifications are in-app
 * and neutral: their kind only, no title, case or name.
 *
 * - `meeting_soon`: 24 hours before a meeting, to everyone who takes part;
 * - `agenda_empty`: 3 days before, to the organiser unit's coordinators and the chair, when
 *   the agenda has nothing besides the general section;
 * - `action_due`: on an action's deadline day, to its responsible person.
 */
export const MEETING_SOON_MS = 24 * 3600_000;
export const AGENDA_EMPTY_MS = 3 * 24 * 3600_000;
/** A deadline missed while every node was down is still reminded this many days after. */
const ACTION_CATCH_UP_DAYS = 2;
/** How long stopping waits for a scan under way. */
const STOP_WAIT_MS = 2_000;

type ReminderKind = "meeting_soon" | "agenda_empty" | "action_due";
const notificationOf: Record<ReminderKind, NotificationKind> = {
  meeting_soon: "meeting_soon",
  agenda_empty: "meeting_agenda_empty",
  action_due: "meeting_action_due",
};

export type ReminderCounts = Record<ReminderKind, number>;

/** Records the reminder for those not yet reminded and notifies exactly them; returns how many. */
async function remind({ db, bus, kind, subjectKey, userIds }: { db: Db; bus: EventBus; kind: ReminderKind; subjectKey: string; userIds: readonly string[] }): Promise<number> {
  // Sorted: concurrent scans lock the same rows in the same order.
  const unique = [...new Set(userIds)].sort();
  if (unique.length === 0) return 0;
  const deliveries = await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto("meeting_reminders")
      .values(unique.map((user_id) => ({ kind, subject_key: subjectKey, user_id })))
      .onConflict((oc) => oc.columns(["kind", "subject_key", "user_id"]).doNothing())
      .returning("user_id")
      .execute();
    return notify({ db: trx, userIds: inserted.map((r) => r.user_id), kind: notificationOf[kind], caseId: null });
  });
  if (deliveries.length) await bus.publish({ type: "userEventsCommitted", deliveries });
  return deliveries.length;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export async function runReminders({ db, bus, now = new Date() }: { db: Db; bus: EventBus; now?: Date }): Promise<ReminderCounts> {
  const counts: ReminderCounts = { meeting_soon: 0, agenda_empty: 0, action_due: 0 };
  const horizon = new Date(now.getTime() + AGENDA_EMPTY_MS);
  // Series that may have an occurrence within three days (a day's margin for the zone).
  const series = await db
    .selectFrom("meeting_series")
    .selectAll()
    .where("cancelled_at", "is", null)
    .where("dtstart_local", "<=", new Date(horizon.getTime() + 86_400_000).toISOString().slice(0, 19))
    .execute();
  for (const s of series) {
    const rows = await db.selectFrom("meetings").selectAll().where("series_id", "=", s.id).execute();
    const upcoming = expandSeries({ spec: specOf(s), overrides: rows.map(overrideOf), from: now, to: horizon }).filter((o) => o.status === "planned" && o.start > now);
    if (upcoming.length === 0) continue;
    let audience: string[] | null = null;
    for (const o of upcoming) {
      const key = `${s.id}/${o.recurrenceId}`;
      if (o.start.getTime() - now.getTime() <= MEETING_SOON_MS) {
        audience ??= await seriesAudience({ db, seriesId: s.id });
        // Keyed by where it is now too: a meeting moved after its reminder is reminded again.
        counts.meeting_soon += await remind({ db, bus, kind: "meeting_soon", subjectKey: `${key}/${o.startLocal}`, userIds: audience });
      }
      const row = rows.find((r) => r.recurrence_id === o.recurrenceId);
      const items = row
        ? await db
            .selectFrom("agenda_items")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .where("meeting_id", "=", row.id)
            .where("kind", "!=", "general")
            .where("removed_at", "is", null)
            .executeTakeFirstOrThrow()
        : { n: 0 };
      if (Number(items.n) > 0) continue;
      const coordinators = await db
        .selectFrom("memberships")
        .innerJoin("users", "users.id", "memberships.user_id")
        .innerJoin("units", "units.id", "memberships.unit_id")
        .select("users.id")
        .where("memberships.unit_id", "=", s.organiser_unit_id)
        .where("memberships.role", "=", "coordinator")
        .where("units.valid_to", "is", null)
        .where("users.deactivated_at", "is", null)
        .execute();
      const chair = s.chair_user_id ? await db.selectFrom("users").select("id").where("id", "=", s.chair_user_id).where("deactivated_at", "is", null).execute() : [];
      counts.agenda_empty += await remind({ db, bus, kind: "agenda_empty", subjectKey: key, userIds: [...coordinators, ...chair].map((u) => u.id) });
    }
  }

  // Actions on their deadline day (Oslo), to the person responsible, while they may still see the meeting.
  const today = localDateOf(now, "Europe/Oslo");
  const actions = await db
    .selectFrom("agenda_item_outcomes as o")
    .innerJoin("agenda_items as i", "i.id", "o.agenda_item_id")
    .innerJoin("meetings as m", "m.id", "i.meeting_id")
    .select(["o.id", "o.responsible_user_id", "o.deadline", "m.series_id"])
    .where("o.kind", "=", "action")
    .where("o.removed_at", "is", null)
    .where("i.removed_at", "is", null)
    .where("o.responsible_user_id", "is not", null)
    .where("o.deadline", "<=", today)
    .where("o.deadline", ">", addDays(today, -1 - ACTION_CATCH_UP_DAYS))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("meeting_reminders as r")
            .select(sql`1`.as("one"))
            .where("r.kind", "=", "action_due")
            .whereRef("r.user_id", "=", "o.responsible_user_id")
            .where(sql<boolean>`r.subject_key = o.id::text || '/' || o.deadline::text`),
        ),
      ),
    )
    .execute();
  const actors = new Map<string, Actor | null>();
  for (const a of actions) {
    const userId = a.responsible_user_id!;
    if (!actors.has(userId)) actors.set(userId, await loadActor(db, userId));
    const actor = actors.get(userId);
    const found = await seriesResource({ db, seriesId: a.series_id });
    if (!actor || !found || !decideMeeting(policyActor(actor), found.resource, "read").allow) continue;
    counts.action_due += await remind({ db, bus, kind: "action_due", subjectKey: `${a.id}/${a.deadline}`, userIds: [userId] });
  }
  return counts;
}

/**
 * Runs the reminder scan every interval on this node (every node does: the reminders
 * table, not a lock, makes each reminder go out once). A scan still running is not
 * started again. Returns the stop function, which waits a little for a scan under way.
 */
export function scheduleReminders({ db, bus, log, intervalMs = 60_000 }: { db: Db; bus: EventBus; log: Logger; intervalMs?: number }): () => Promise<void> {
  let running: Promise<void> | null = null;
  const tick = () => (running ??= scan().finally(() => (running = null)));
  const scan = async () => {
    try {
      const counts = await runReminders({ db, bus });
      if (counts.meeting_soon || counts.agenda_empty || counts.action_due) log.info(counts, "meeting reminders sent");
    } catch (err) {
      log.error({ err, job: "meeting-reminders" }, "scheduled job failed");
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  void tick();
  return async () => {
    clearInterval(timer);
    // A scan under way gets a moment to finish, never a hold on shutdown (a vanished database).
    let wait: NodeJS.Timeout | undefined;
    await Promise.race([running, new Promise<void>((resolve) => (wait = setTimeout(resolve, STOP_WAIT_MS)))]);
    clearTimeout(wait);
  };
}
