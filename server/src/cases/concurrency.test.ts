import { afterAll, beforeAll, expect, test } from "vitest";
import { createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import type { TrpcClient, TrpcResult } from "../testing/http-client.ts";
import { startTestApp, type TestApp } from "../testing/test-app.ts";

// Parallel requests over real HTTP: each either succeeds once or gets a clear conflict,
// never a 500 and never a duplicate row.
let app: TestApp;
let teacher: TrpcClient;
let leader: TrpcClient;
let units: Record<string, string>;
let people: { id: string; displayName: string }[];

beforeAll(async () => {
  app = await startTestApp();
  teacher = await app.signedIn("koordinator@demo.laget.no");
  leader = await app.signedIn("leder@demo.laget.no");
  units = await unitIdsByName(teacher);
  people = await teacher.queryOk("users.directory");
});
afterAll(() => app?.stop());

const idOf = (name: string) => people.find((p) => p.displayName === name)!.id;

/** Answers by outcome: "ok" or the app code (a 500 shows as "500"). */
function outcomes(results: TrpcResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key = r.ok ? "ok" : r.status >= 500 ? "500" : (r.error.data.appCode ?? String(r.status));
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

const times = <T>(n: number, f: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => f(i)));

test("10 parallel edits of one note version: one is saved, the others are told it changed in the meantime", async () => {
  const { caseId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Nora Samtidig");
  const { noteId } = await teacher.mutationOk<{ noteId: string }>("cases.addNote", { caseId, category: "school", body: "Første versjon" });
  const results = await times(10, (i) => teacher.mutation("cases.editNote", { noteId, category: "school", body: `Redigert ${i}`, version: 1 }));
  expect(outcomes(results)).toEqual({ ok: 1, INVALID_STATE: 9 });
  for (const r of results) if (!r.ok) expect(r.status).toBe(409);
  const history = await teacher.queryOk<{ version: number; body: string }[]>("cases.noteHistory", { noteId });
  expect(history).toMatchObject([{ version: 1, body: "Første versjon" }]);
});

test("10 parallel edits without a version: each is saved once as its own version, none lost or duplicated", async () => {
  const { caseId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Nora Rekke");
  const { noteId } = await teacher.mutationOk<{ noteId: string }>("cases.addNote", { caseId, category: "school", body: "Første versjon" });
  const results = await times(10, (i) => teacher.mutation("cases.editNote", { noteId, category: "school", body: `Redigert ${i}` }));
  const counts = outcomes(results);
  expect(Object.keys(counts).filter((k) => k !== "ok" && k !== "INVALID_STATE")).toEqual([]);
  expect(counts.ok).toBeGreaterThanOrEqual(1);
  const history = await teacher.queryOk<{ version: number }[]>("cases.noteHistory", { noteId });
  // Every saved edit left exactly the version it replaced: 1..n, no gap, no duplicate.
  expect(history.map((h) => h.version)).toEqual(Array.from({ length: counts.ok! }, (_, i) => counts.ok! - i));
});

test("10 parallel handover proposals: one handover is open, the others conflict", async () => {
  const { caseId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Ola Stafett");
  const results = await times(10, () => teacher.mutation("cases.proposeHandover", { caseId, toUserId: idOf("Lars Leder") }));
  expect(outcomes(results)).toEqual({ ok: 1, INVALID_STATE: 9 });
  const open = await app.db.selectFrom("case_handovers").select("id").where("case_id", "=", caseId).execute();
  expect(open).toHaveLength(1);
  // The proposed coordinator was named on the case once.
  const named = await app.db.selectFrom("case_participants").select("id").where("case_id", "=", caseId).where("user_id", "=", idOf("Lars Leder")).execute();
  expect(named).toHaveLength(1);
});

test("10 parallel additions of one unit leave one participant row, and a named user is invited once", async () => {
  const { caseId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Per Deltaker");
  const whole = await times(10, () => teacher.mutation("cases.addParticipant", { caseId, unitId: units["Helsestasjonen"] }));
  expect(outcomes(whole)).toEqual({ ok: 10 });
  const named = await times(10, () => teacher.mutation("cases.addParticipant", { caseId, unitId: units["Fjellheim skole"], userId: idOf("Lars Leder") }));
  expect(outcomes(named)).toEqual({ ok: 10 });
  const rows = await app.db.selectFrom("case_participants").select(["unit_id", "user_id"]).where("case_id", "=", caseId).where("removed_at", "is", null).execute();
  expect(rows.filter((r) => r.unit_id === units["Helsestasjonen"])).toHaveLength(1);
  expect(rows.filter((r) => r.user_id === idOf("Lars Leder"))).toHaveLength(1);
  const invitations = await app.db.selectFrom("notifications").select("id").where("user_id", "=", idOf("Lars Leder")).where("case_id", "=", caseId).where("kind", "=", "case_invited").execute();
  expect(invitations).toHaveLength(1);
});

test("a handover answered twice at once (accept and decline, and accept twice) is answered once", async () => {
  const { caseId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Siri Svar");
  await teacher.mutationOk("cases.addParticipant", { caseId, unitId: units["Fjellheim skole"], userId: idOf("Lars Leder") });
  for (const pair of [["cases.acceptHandover", "cases.declineHandover"], ["cases.declineHandover", "cases.acceptHandover"]] as const) {
    // Whoever holds the baton now proposes it to the other.
    const leaderHolds = (await leader.queryOk<{ isCoordinator: boolean }>("cases.get", { caseId })).isCoordinator;
    const [proposer, answerer, target] = leaderHolds ? [leader, teacher, idOf("Kari Koordinator")] : [teacher, leader, idOf("Lars Leder")];
    const { handoverId } = await proposer.mutationOk<{ handoverId: string }>("cases.proposeHandover", { caseId, toUserId: target });
    const results = await Promise.all(pair.flatMap((path) => [answerer.mutation(path, { handoverId }), answerer.mutation(path, { handoverId })]));
    expect(outcomes(results)).toEqual({ ok: 1, INVALID_STATE: 3 });
    const row = await app.db.selectFrom("case_handovers").select("status").where("id", "=", handoverId).executeTakeFirstOrThrow();
    const winner = pair[results.findIndex((r) => r.ok) < 2 ? 0 : 1];
    expect(row.status).toBe(winner === "cases.acceptHandover" ? "accepted" : "declined");
  }
});

test("a named user is told they were invited to a case only if they can then open it", async () => {
  const { caseId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Eva Invitert");
  // The nurse's unit has no basis yet (no consent): she is named, but not told about a case she cannot open.
  await teacher.mutationOk("cases.addParticipant", { caseId, unitId: units["Helsestasjonen"], userId: idOf("Hanne Helsesykepleier") });
  await teacher.mutationOk("cases.addParticipant", { caseId, unitId: units["Fjellheim skole"], userId: idOf("Lars Leder") });
  const invited = await app.db.selectFrom("notifications").select("user_id").where("case_id", "=", caseId).where("kind", "=", "case_invited").execute();
  expect(invited.map((n) => n.user_id)).toEqual([idOf("Lars Leder")]);
});
