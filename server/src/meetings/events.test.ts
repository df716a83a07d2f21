import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { connectLive, type LiveClient } from "../testing/live-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { demoUserIds, flytInput, unitIdsByName } from "./testing.ts";

// Invitations and changes reach the series' people live through their event streams,
// neutral (ids and the kind of change only), and are judged again on replay.

let server: TestServer;
let nav: HttpClient;
const live: Record<string, LiveClient> = {};
let units: Record<string, string>;
let users: Record<string, string>;

beforeAll(async () => {
  server = await startTestServer();
  nav = await signedIn(server.url, "nav@demo.laget.no", DEMO_PASSWORD);
  for (const who of ["nav", "koordinator", "helsesykepleier", "barnevern"]) {
    const http = who === "nav" ? nav : await signedIn(server.url, `${who}@demo.laget.no`, DEMO_PASSWORD);
    live[who] = await connectLive(server.url, http.cookie!);
  }
  units = await unitIdsByName(nav);
  users = await demoUserIds(server.db);
});
afterAll(async () => {
  for (const l of Object.values(live)) l.close();
  await server?.stop();
});

const meetingEvents = (who: string, seriesId: string) => live[who]!.applied.filter((e) => e.resourceType === "meeting" && e.resourceId === seriesId);

test("a new series invites its people live, not the organiser who made it and no one outside it; the payload names no title", async () => {
  const { seriesId } = await nav.mutationOk<{ seriesId: string }>("meetings.createSeries", flytInput(units, users, { title: "Flyt-møte om Emma Hansen", minuteTakerUserId: null }));
  await live.koordinator!.until(() => meetingEvents("koordinator", seriesId).length === 1);
  await live.helsesykepleier!.until(() => meetingEvents("helsesykepleier", seriesId).length === 1);
  expect(meetingEvents("koordinator", seriesId)[0]).toMatchObject({ type: "meeting.invited", resourceType: "meeting", resourceId: seriesId, data: { seriesId, recurrenceId: null, kind: "series" } });
  expect(JSON.stringify(live.koordinator!.applied)).not.toContain("Emma");

  // A change to one occurrence: the sentinel is that change reaching Kari; by then Berit and Nils have nothing.
  await nav.mutationOk("meetings.updateOccurrence", { seriesId, recurrenceId: "2027-01-14T09:00:00", status: "cancelled" });
  await live.koordinator!.until(() => meetingEvents("koordinator", seriesId).length === 2);
  expect(meetingEvents("koordinator", seriesId)[1]).toMatchObject({ type: "meeting.cancelled", data: { seriesId, recurrenceId: "2027-01-14T09:00:00", kind: "occurrence" } });
  await live.helsesykepleier!.until(() => meetingEvents("helsesykepleier", seriesId).length === 2);
  expect(meetingEvents("barnevern", seriesId)).toEqual([]);
  expect(meetingEvents("nav", seriesId)).toEqual([]);

  // Berit named by an edit: she is invited; those already in it hear of a change.
  await nav.mutationOk("meetings.updateSeries", { seriesId, scope: "all", changes: { participantUserIds: [users.barnevern] } });
  await live.barnevern!.until(() => meetingEvents("barnevern", seriesId).length === 1);
  expect(meetingEvents("barnevern", seriesId)[0]).toMatchObject({ type: "meeting.invited" });
  await live.koordinator!.until(() => meetingEvents("koordinator", seriesId).length === 3);
  expect(meetingEvents("koordinator", seriesId)[2]).toMatchObject({ type: "meeting.changed", data: { kind: "series" } });
});

test("on replay a meeting event is shown only while the user may still read the series", async () => {
  const { seriesId } = await nav.mutationOk<{ seriesId: string }>("meetings.createSeries", flytInput(units, users, { minuteTakerUserId: null }));
  const hanne = live.helsesykepleier!;
  await hanne.until(() => meetingEvents("helsesykepleier", seriesId).length === 1);
  hanne.socket.disconnect();
  // While she is away: one change she may still see, then the health station is taken out.
  await nav.mutationOk("meetings.updateOccurrence", { seriesId, recurrenceId: "2027-01-21T09:00:00", place: "Rådhuset" });
  await nav.mutationOk("meetings.updateSeries", { seriesId, scope: "all", changes: { participantUnitIds: [units["Fjellheim skole"]] } });
  const head = Number(
    (await server.db.selectFrom("user_event_counters").select("last_event_id").where("user_id", "=", users.helsesykepleier!).executeTakeFirstOrThrow()).last_event_id,
  );
  const before = hanne.applied.length;
  hanne.socket.connect();
  await hanne.until(() => hanne.lastEventId() === head);
  const replayed = hanne.applied.slice(before);
  // Both events about the series she can no longer read come back as gone.
  expect(replayed.map((e) => e.type)).toEqual(["gone", "gone"]);

  // Kari (the school still takes part) gets them replayed as they were.
  const kari = live.koordinator!;
  await kari.until(() => meetingEvents("koordinator", seriesId).length === 3);
  kari.socket.disconnect();
  await nav.mutationOk("meetings.updateOccurrence", { seriesId, recurrenceId: "2027-01-28T09:00:00", place: "Skolen" });
  const kariHead = Number((await server.db.selectFrom("user_event_counters").select("last_event_id").where("user_id", "=", users.koordinator!).executeTakeFirstOrThrow()).last_event_id);
  kari.socket.connect();
  await kari.until(() => kari.lastEventId() === kariHead);
  expect(meetingEvents("koordinator", seriesId).at(-1)).toMatchObject({ type: "meeting.changed", data: { recurrenceId: "2027-01-28T09:00:00" } });
});
