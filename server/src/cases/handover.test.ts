import { afterAll, beforeAll, expect, test } from "vitest";
import { createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import type { TrpcClient } from "../testing/http-client.ts";
import { startTestApp, type TestApp } from "../testing/test-app.ts";

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

test("the baton stays with the coordinator until the new one accepts; every step is recorded", async () => {
  const { caseId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Mia Stafett", 2016);
  // The leader of the school is not named on the case yet: they cannot see it.
  expect((await leader.query("cases.get", { caseId })).ok).toBe(false);
  await teacher.mutationOk("cases.addParticipant", { caseId, unitId: units["Fjellheim skole"], userId: idOf("Lars Leder") });
  expect((await leader.queryOk<{ isCoordinator: boolean }>("cases.get", { caseId })).isCoordinator).toBe(false);

  const { handoverId } = await teacher.mutationOk<{ handoverId: string }>("cases.proposeHandover", { caseId, toUserId: idOf("Lars Leder"), note: "Jeg går ut i permisjon." });
  const again = await teacher.mutation("cases.proposeHandover", { caseId, toUserId: idOf("Lars Leder") });
  expect(!again.ok && again.error.data.appCode).toBe("INVALID_STATE");
  // Still the teacher's case while the proposal is open.
  const pending = await leader.queryOk<{ coordinatorName: string; pendingHandover: { forMe: boolean } }>("cases.get", { caseId });
  expect(pending.coordinatorName).toBe("Kari Koordinator");
  expect(pending.pendingHandover.forMe).toBe(true);
  expect((await leader.mutation("cases.update", { caseId, btiLevel: 3 })).ok).toBe(false);
  expect((await teacher.mutation("cases.acceptHandover", { handoverId })).ok).toBe(false);

  await leader.mutationOk("cases.declineHandover", { handoverId });
  const { handoverId: second } = await teacher.mutationOk<{ handoverId: string }>("cases.proposeHandover", { caseId, toUserId: idOf("Lars Leder") });
  await leader.mutationOk("cases.acceptHandover", { handoverId: second });
  const after = await leader.queryOk<{ isCoordinator: boolean; coordinatorName: string; pendingHandover: unknown }>("cases.get", { caseId });
  expect(after).toMatchObject({ isCoordinator: true, coordinatorName: "Lars Leder", pendingHandover: null });
  expect((await leader.mutation("cases.update", { caseId, btiLevel: 3 })).ok).toBe(true);
  const notCoordinator = await teacher.mutation("cases.update", { caseId, btiLevel: 0 });
  expect(!notCoordinator.ok && notCoordinator.error.data.appCode).toBe("NOT_COORDINATOR");

  const history = await leader.queryOk<{ status: string; fromName: string; toName: string }[]>("cases.handoverHistory", { caseId });
  expect(history.map((h) => h.status)).toEqual(["accepted", "declined"]);
  const notes = await teacher.queryOk<{ kind: string }[]>("notifications.list");
  expect(notes.filter((n) => n.kind === "handover_answered")).toHaveLength(2);
});

test("closing a case keeps it readable but stops changes; volunteer units never become participants", async () => {
  const { caseId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Ole Avslutt", 2010);
  const { noteId } = await teacher.mutationOk<{ noteId: string }>("cases.addNote", { caseId, category: "school", kind: "observation", body: "Skrevet før avslutning." });
  const volunteer = await teacher.mutation("cases.addParticipant", { caseId, unitId: units["Fjellheim idrettslag"] });
  expect(!volunteer.ok && volunteer.error.data.appCode).toBe("VOLUNTEER_NOT_PARTICIPANT");
  await teacher.mutationOk("cases.close", { caseId, reason: "Målene er nådd." });
  const closed = await teacher.queryOk<{ status: string; closedReason: string }>("cases.get", { caseId });
  expect(closed).toMatchObject({ status: "closed", closedReason: "Målene er nådd." });
  const note = await teacher.mutation("cases.addNote", { caseId, category: "school", body: "For sent." });
  expect(!note.ok && note.error.data.appCode).toBe("CASE_CLOSED");
  const edit = await teacher.mutation("cases.editNote", { noteId, category: "school", body: "Endret etterpå." });
  expect(!edit.ok && edit.error.data.appCode).toBe("CASE_CLOSED");
  expect((await teacher.queryOk<{ id: string }[]>("cases.list", { status: "closed" })).map((c) => c.id)).toContain(caseId);
});

test("notes keep their history; only the author edits", async () => {
  const { caseId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Nora Notat", 2015);
  const { noteId } = await teacher.mutationOk<{ noteId: string }>("cases.addNote", { caseId, category: "school", kind: "bright_spot", body: "Nora hjalp en medelev." });
  await teacher.mutationOk("cases.editNote", { noteId, category: "school", body: "Nora hjalp to medelever i friminuttet." });
  const notes = await teacher.queryOk<{ notes: { body: string; edited: boolean; kind: string }[] }>("cases.notes", { caseId });
  expect(notes.notes[0]).toMatchObject({ body: "Nora hjalp to medelever i friminuttet.", edited: true, kind: "bright_spot" });
  const history = await teacher.queryOk<{ version: number; body: string }[]>("cases.noteHistory", { noteId });
  expect(history).toEqual([expect.objectContaining({ version: 1, body: "Nora hjalp en medelev." })]);
  await teacher.mutationOk("cases.addParticipant", { caseId, unitId: units["Fjellheim skole"], userId: idOf("Lars Leder") });
  const notAuthor = await leader.mutation("cases.editNote", { noteId, category: "school", body: "Endret av en annen." });
  expect(!notAuthor.ok && notAuthor.error.data.appCode).toBe("FORBIDDEN");
});
