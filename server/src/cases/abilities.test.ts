import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";

// cases.get says what the caller may do (computed by the policy's caseAbilities), and the
// server refuses exactly what it says no to: the client renders from this, never re-derives it.

let server: TestServer;
let teacher: HttpClient;
let leader: HttpClient;
let units: Record<string, string>;
let people: { id: string; displayName: string }[];

type Abilities = Record<"edit" | "manageConsent" | "handover" | "answerHandover" | "withdrawHandover" | "readAccessLog" | "addNote" | "readPlan" | "editPlan" | "disclose", boolean>;
const abilitiesOf = async (client: HttpClient, caseId: string) => (await client.queryOk<{ abilities: Abilities }>("cases.get", { caseId })).abilities;

beforeAll(async () => {
  server = await startTestServer();
  teacher = await signedIn(server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  leader = await signedIn(server.url, "leder@demo.laget.no", DEMO_PASSWORD);
  units = await unitIdsByName(teacher);
  people = await teacher.queryOk("users.directory");
});
afterAll(() => server?.stop());

test("the coordinator may do everything on an open case; a colleague only what their basis gives; a closed case only reads", async () => {
  const { caseId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Ola Evne", 2015);
  const lars = people.find((p) => p.displayName === "Lars Leder")!.id;
  await teacher.mutationOk("cases.addParticipant", { caseId, unitId: units["Fjellheim skole"], userId: lars });

  expect(await abilitiesOf(teacher, caseId)).toEqual({
    edit: true, manageConsent: true, handover: true, answerHandover: false, withdrawHandover: false,
    readAccessLog: true, addNote: true, readPlan: true, editPlan: true, disclose: true,
  });
  const colleague = await abilitiesOf(leader, caseId);
  expect(colleague).toMatchObject({ edit: false, manageConsent: false, handover: false, readAccessLog: false, addNote: true, editPlan: true });
  const refused = await leader.mutation("cases.update", { caseId, btiLevel: 2 });
  expect(!refused.ok && refused.error.data.appCode).toBe("NOT_COORDINATOR");

  // A pending handover: its target may answer it, its proposer withdraw it, and no second one is offered.
  await teacher.mutationOk("cases.proposeHandover", { caseId, toUserId: lars });
  expect(await abilitiesOf(leader, caseId)).toMatchObject({ answerHandover: true, withdrawHandover: false });
  expect(await abilitiesOf(teacher, caseId)).toMatchObject({ handover: false, withdrawHandover: true, answerHandover: false });

  await teacher.mutationOk("cases.close", { caseId, reason: "Ferdig" });
  expect(await abilitiesOf(teacher, caseId)).toMatchObject({
    edit: false, manageConsent: false, handover: false, addNote: false, editPlan: false, disclose: false, readAccessLog: true, readPlan: true,
  });
  // The non-coordinator still hears that they are not the coordinator; the coordinator that the case is closed.
  const byLeader = await leader.mutation("cases.update", { caseId, btiLevel: 2 });
  expect(!byLeader.ok && byLeader.error.data.appCode).toBe("NOT_COORDINATOR");
  const byTeacher = await teacher.mutation("cases.update", { caseId, btiLevel: 2 });
  expect(!byTeacher.ok && byTeacher.error.data.appCode).toBe("CASE_CLOSED");
  const disclosure = await teacher.mutation("disclosures.create", {
    caseId, statuteId: (await teacher.queryOk<{ id: string }[]>("disclosures.statutes"))[0]!.id, recipientUnitId: units["Helsestasjonen"], categories: ["school"], justification: "Etter avslutning.",
  });
  expect(!disclosure.ok && disclosure.error.data.appCode).toBe("CASE_CLOSED");
});
