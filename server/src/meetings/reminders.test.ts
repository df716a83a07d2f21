import { afterAll, beforeAll, expect, test } from "vitest";
import { createEventBus, type EventBus } from "../events/bus.ts";
import { createLogger } from "../log.ts";
import type { CallerClient } from "../testing/caller-client.ts";
import { startTestApp, type TestApp } from "../testing/test-app.ts";
import { runReminders, scheduleReminders } from "./reminders.ts";
import { instantToLocal } from "./time.ts";
import { demoUserIds, flytInput, unitIdsByName } from "./testing.ts";

// Reminders go out exactly once however many nodes scan at the same moment: the
// reminders table's primary key decides which node notifies.

let app: TestApp;
let nav: CallerClient;
let units: Record<string, string>;
let users: Record<string, string>;
let soonSeries: string;
let laterSeries: string;
let outcomeId: string;
// Wednesday 10 March 2027, 09:00 in Oslo.
const now = new Date("2027-03-10T08:00:00Z");

beforeAll(async () => {
  app = await startTestApp();
  // The demo's own series are not what this test counts.
  await app.db.updateTable("meeting_series").set({ cancelled_at: new Date("2026-01-01T00:00:00Z") }).execute();
  nav = await app.signedIn("nav@demo.laget.no");
  units = await unitIdsByName(nav);
  users = await demoUserIds(app.db);
  // Thursdays 09:00: the next is 24 hours away. Its agenda is empty.
  ({ seriesId: soonSeries } = await nav.mutationOk<{ seriesId: string }>("meetings.createSeries", flytInput(units, users, { externalParticipants: [] })));
  // Fridays 09:00 (48 hours away), with a topic on its agenda, and an action due today.
  ({ seriesId: laterSeries } = await nav.mutationOk<{ seriesId: string }>(
    "meetings.createSeries",
    flytInput(units, users, { dtstartLocal: "2027-01-08T09:00:00", recurrence: { freq: "weekly", interval: 1, byWeekday: ["FR"], end: { kind: "never" } }, participantUnitIds: [], minuteTakerUserId: null }),
  ));
  const { meetingId } = await nav.mutationOk<{ meetingId: string }>("meetings.open", { seriesId: laterSeries, recurrenceId: "2027-03-12T09:00:00" });
  const { municipality_id } = await app.db.selectFrom("meetings").select("municipality_id").where("id", "=", meetingId).executeTakeFirstOrThrow();
  const item = await app.db
    .insertInto("agenda_items")
    .values({ meeting_id: meetingId, municipality_id, kind: "topic", title: "Tema", position: 1, created_by: users.nav! })
    .returning("id")
    .executeTakeFirstOrThrow();
  ({ id: outcomeId } = await app.db
    .insertInto("agenda_item_outcomes")
    .values({ agenda_item_id: item.id, kind: "action", text: "Ring skolen", responsible_user_id: users.nav!, deadline: "2027-03-10", created_by: users.nav! })
    .returning("id")
    .executeTakeFirstOrThrow());
});
afterAll(() => app?.stop());

const notifications = (kind: string) => app.db.selectFrom("notifications").select(["user_id", "case_id"]).where("kind", "=", kind).execute();

test("two nodes scanning at once send each reminder once: 24 hours before to every participant, the empty agenda to the chair, the action to its responsible", async () => {
  const second: EventBus = await createEventBus({ log: createLogger("silent") });
  try {
    const results = await Promise.all([runReminders({ db: app.db, bus: app.bus, now }), runReminders({ db: app.db, bus: second, now }), runReminders({ db: app.db, bus: app.bus, now })]);
    const total = (k: "meeting_soon" | "agenda_empty" | "action_due") => results.reduce((n, r) => n + r[k], 0);
    // The Thursday meeting's people: NAV (Nils), the school (Lars, Kari) and the health station (Hanne).
    const participants = [users.nav, users.leder, users.koordinator, users.helsesykepleier].sort();
    expect(total("meeting_soon")).toBe(4);
    expect((await notifications("meeting_soon")).map((n) => n.user_id).sort()).toEqual(participants);
    // The Friday meeting is 48 hours away: no "soon" yet; its agenda has a topic, so only Thursday's is empty.
    expect(total("agenda_empty")).toBe(1);
    expect((await notifications("meeting_agenda_empty")).map((n) => n.user_id)).toEqual([users.nav]);
    expect(total("action_due")).toBe(1);
    expect((await notifications("meeting_action_due")).map((n) => n.user_id)).toEqual([users.nav]);
    // Neutral: a kind and nothing else (no case link).
    expect((await notifications("meeting_soon")).every((n) => n.case_id === null)).toBe(true);
    const recorded = await app.db.selectFrom("meeting_reminders").select(["kind", "subject_key"]).execute();
    expect(recorded.filter((r) => r.kind === "meeting_soon").every((r) => r.subject_key === `${soonSeries}/2027-03-11T09:00:00/2027-03-11T09:00:00`)).toBe(true);
    expect(recorded.filter((r) => r.kind === "action_due").map((r) => r.subject_key)).toEqual([`${outcomeId}/2027-03-10`]);
  } finally {
    await second.close();
  }
  // A minute later nothing new.
  expect(await runReminders({ db: app.db, bus: app.bus, now: new Date(now.getTime() + 60_000) })).toEqual({ meeting_soon: 0, agenda_empty: 0, action_due: 0 });
  // A day later the Friday meeting is 24 hours away.
  const nextDay = await runReminders({ db: app.db, bus: app.bus, now: new Date(now.getTime() + 86_400_000) });
  expect(nextDay.meeting_soon).toBe(1);
});

test("a moved meeting is reminded again at its new time; a cancelled one is not", async () => {
  await nav.mutationOk("meetings.updateOccurrence", { seriesId: soonSeries, recurrenceId: "2027-03-11T09:00:00", movedToLocal: "2027-03-11T14:00:00" });
  await nav.mutationOk("meetings.updateOccurrence", { seriesId: laterSeries, recurrenceId: "2027-03-12T09:00:00", status: "cancelled" });
  const counts = await runReminders({ db: app.db, bus: app.bus, now: new Date(now.getTime() + 5 * 3600_000) });
  expect(counts.meeting_soon).toBe(4);
  expect(await runReminders({ db: app.db, bus: app.bus, now: new Date("2027-03-11T09:00:00Z") })).toMatchObject({ meeting_soon: 0 });
});

test("the server's scan runs on its interval, at the real time, and stops on close", async () => {
  // A single meeting two hours from now.
  const start = instantToLocal(new Date(Date.now() + 2 * 3600_000), "Europe/Oslo").slice(0, 16);
  const { seriesId } = await nav.mutationOk<{ seriesId: string }>("meetings.createSeries", flytInput(units, users, { dtstartLocal: start, recurrence: { freq: "none" }, participantUnitIds: [], minuteTakerUserId: null }));
  const stop = scheduleReminders({ db: app.db, bus: app.bus, log: createLogger("silent"), intervalMs: 20 });
  const sent = () => app.db.selectFrom("meeting_reminders").select("user_id").where("kind", "=", "meeting_soon").where("subject_key", "like", `${seriesId}/%`).execute();
  try {
    for (let i = 0; i < 200 && (await sent()).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
  } finally {
    await stop();
  }
  expect((await sent()).map((r) => r.user_id)).toEqual([users.nav]);
});
