import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { consentTerms, createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { connectLive, type LiveClient } from "../testing/live-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";

// A new notification reaches its user's bell at once, as an event in their log (kind
// only), however it arose: a handover as fast as a mention.

let server: TestServer;
let teacher: HttpClient;
let leader: HttpClient;
let teacherLive: LiveClient;
let leaderLive: LiveClient;

beforeAll(async () => {
  server = await startTestServer();
  teacher = await signedIn(server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  leader = await signedIn(server.url, "leder@demo.laget.no", DEMO_PASSWORD);
  teacherLive = await connectLive(server.url, teacher.cookie!);
  leaderLive = await connectLive(server.url, leader.cookie!);
});
afterAll(async () => {
  teacherLive?.close();
  leaderLive?.close();
  await server?.stop();
});

const notified = (client: LiveClient, kind: string) => client.applied.filter((e) => e.type === "notification" && e.data?.kind === kind);

test("a handover proposal and its answer are pushed to the other person's socket, with nothing but the kind", async () => {
  const units = await unitIdsByName(teacher);
  const people = await teacher.queryOk<{ id: string; displayName: string }[]>("users.directory");
  const leaderId = people.find((p) => p.displayName === "Lars Leder")!.id;
  const { caseId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Mia Varsel", 2016);
  await teacher.mutationOk("cases.addParticipant", { caseId, unitId: units["Fjellheim skole"], userId: leaderId });

  const { handoverId } = await teacher.mutationOk<{ handoverId: string }>("cases.proposeHandover", { caseId, toUserId: leaderId });
  await leaderLive.until(() => notified(leaderLive, "handover_proposed").length === 1, 5_000);
  expect(notified(leaderLive, "handover_proposed")[0]).toMatchObject({ conversationId: null, data: { kind: "handover_proposed" } });

  await leader.mutationOk("cases.declineHandover", { handoverId });
  await teacherLive.until(() => notified(teacherLive, "handover_answered").length === 1, 5_000);
  // The same event is in the log for a client that was away.
  const replay = await leaderLive.request<{ events: { type: string; data?: { kind?: string } }[] }>("sync", { since: 0 });
  expect(replay.ok && replay.events.filter((e) => e.type === "notification").map((e) => e.data?.kind)).toContain("handover_proposed");
});

test("an invitation and the end of access are pushed at once too, also when they arise away from any socket", async () => {
  const nurse = await signedIn(server.url, "helsesykepleier@demo.laget.no", DEMO_PASSWORD);
  const nurseLive = await connectLive(server.url, nurse.cookie!);
  try {
    const units = await unitIdsByName(teacher);
    const people = await teacher.queryOk<{ id: string; displayName: string }[]>("users.directory");
    const nurseId = people.find((p) => p.displayName === "Hanne Helsesykepleier")!.id;
    const { caseId, subjectId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Ola Varsel", 2015);
    const { consentId } = await teacher.mutationOk<{ consentId: string }>("consents.create", {
      caseId,
      ...consentTerms(subjectId, [units["Helsestasjonen"]!]),
    });
    await teacher.mutationOk("consents.activate", { consentId });
    await teacher.mutationOk("cases.addParticipant", { caseId, unitId: units["Helsestasjonen"], userId: nurseId });
    await nurseLive.until(() => notified(nurseLive, "case_invited").length >= 1, 5_000);

    await teacher.mutationOk("consents.withdraw", { consentId, reason: "Familien trakk samtykket." });
    await nurseLive.until(() => notified(nurseLive, "case_access_ended").length === 1, 5_000);
    expect(notified(nurseLive, "case_access_ended")[0]).toMatchObject({ conversationId: null, data: { kind: "case_access_ended" } });
  } finally {
    nurseLive.close();
  }
});
