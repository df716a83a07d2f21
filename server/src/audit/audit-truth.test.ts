import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { consentTerms, createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import { createMunicipality } from "../testing/fixtures.ts";
import type { TrpcClient } from "../testing/http-client.ts";
import { startTestApp, type TestApp } from "../testing/test-app.ts";

// The audit log says exactly what happened (issue 9, items 8 and 10): every delivery is
// a read, a refusal is a refusal, an answer is an answer, and a refused lookup of a
// hidden case leaves the same trace as a guessed id.

let app: TestApp;
const http: Record<string, TrpcClient> = {};
let units: Record<string, string>;
let people: { id: string; displayName: string }[];
let caseId: string;
let subjectId: string;
let consentId: string;
let conversationId: string;

const idOf = (name: string) => people.find((p) => p.displayName === name)!.id;

beforeAll(async () => {
  app = await startTestApp();
  for (const user of ["koordinator", "helsesykepleier", "barnevern", "leder"]) {
    http[user] = await app.signedIn(`${user}@demo.laget.no`);
  }
  units = await unitIdsByName(http.koordinator!);
  people = await http.koordinator!.queryOk("users.directory");
  ({ caseId, subjectId } = await createChildCase(http.koordinator!, units["Fjellheim skole"]!, "Tiril Tillit", 2014));
  ({ consentId } = await http.koordinator!.mutationOk<{ consentId: string }>("consents.create", { caseId, ...consentTerms(subjectId, [units["Helsestasjonen"]!]) }));
  await http.koordinator!.mutationOk("consents.activate", { consentId });
  ({ id: conversationId } = await http.koordinator!.mutationOk<{ id: string }>("conversations.ofCase", { caseId }));
});
afterAll(() => app?.stop());

const events = (where: { action?: string; actor?: string; caseId?: string | null }) => {
  let q = app.db.selectFrom("audit_events").select(["action", "actor_user_id", "actor_unit_id", "resource_type", "resource_id", "case_id", "basis"]);
  if (where.action) q = q.where("action", "=", where.action);
  if (where.actor) q = q.where("actor_user_id", "=", where.actor);
  if (where.caseId !== undefined) q = where.caseId === null ? q.where("case_id", "is", null) : q.where("case_id", "=", where.caseId);
  return q.orderBy("id").execute();
};

test("an edit and a delete reaching the readers of a case thread are audited per reader, with each reader's basis", async () => {
  const id = randomUUID();
  await http.koordinator!.mutationOk("messages.send", { id, conversationId, body: "Møte tirsdag" });
  await http.koordinator!.mutationOk("messages.edit", { messageId: id, body: "Møte onsdag" });
  await http.koordinator!.mutationOk("messages.delete", { messageId: id });
  const nurse = idOf("Hanne Helsesykepleier");
  for (const action of ["message.deliver", "message.deliver_edit", "message.deliver_delete"]) {
    const rows = (await events({ action, caseId })).filter((e) => e.resource_id === id);
    expect(rows.map((r) => r.actor_user_id), action).toEqual([nurse]);
    expect(rows[0]!.basis, action).toMatchObject({ kind: "consent", consentId, consentVersion: 1 });
  }
});

test("reading the access log is audited as a read only once the coordinator check has passed", async () => {
  const nurse = idOf("Hanne Helsesykepleier");
  const res = await http.helsesykepleier!.query("audit.caseLog", { caseId });
  expect(!res.ok && res.error.data.appCode).toBe("NOT_COORDINATOR");
  const mine = await events({ actor: nurse, caseId });
  expect(mine.some((e) => e.action === "audit.case_log")).toBe(false);
  expect(mine.some((e) => e.action === "denied:audit.case_log" && e.basis === null)).toBe(true);
  // The same for every coordinator-only change: an attempt is not recorded as done.
  const update = await http.helsesykepleier!.mutation("cases.update", { caseId, btiLevel: 3 });
  expect(!update.ok && update.error.data.appCode).toBe("NOT_COORDINATOR");
  const after = await events({ actor: nurse, caseId });
  expect(after.some((e) => e.action === "case.update")).toBe(false);
  expect(after.some((e) => e.action === "denied:case.update")).toBe(true);
});

test("adding a note records the note's creation and nothing else", async () => {
  const teacher = idOf("Kari Koordinator");
  const before = (await events({ actor: teacher, caseId })).length;
  const { noteId } = await http.koordinator!.mutationOk<{ noteId: string }>("cases.addNote", { caseId, category: "school", body: "Tiril leser godt." });
  const added = (await events({ actor: teacher, caseId })).slice(before);
  expect(added.map((e) => e.action)).toEqual(["note.create"]);
  expect(added[0]!.basis).toMatchObject({ kind: "own_unit", unitId: units["Fjellheim skole"] });
  expect(added[0]!.resource_id).toBe(noteId);
  // A note refused because the case is closed was not created, and is not recorded as created.
  const { caseId: closed } = await createChildCase(http.koordinator!, units["Fjellheim skole"]!, "Per Lukket", 2012);
  await http.koordinator!.mutationOk("cases.close", { caseId: closed, reason: "Ferdig" });
  const refused = await http.koordinator!.mutation("cases.addNote", { caseId: closed, category: "school", body: "For sent." });
  expect(!refused.ok && refused.error.data.appCode).toBe("CASE_CLOSED");
  expect((await events({ actor: teacher, caseId: closed })).some((e) => e.action === "note.create")).toBe(false);
});

test("a legal-basis disclosure is recorded once, as the discloser's act on their own unit's data", async () => {
  const teacher = idOf("Kari Koordinator");
  // A case of its own: barnevern must not see the shared one.
  const { caseId } = await createChildCase(http.koordinator!, units["Fjellheim skole"]!, "Dina Lovlig", 2013);
  const before = (await events({ actor: teacher, caseId })).length;
  const statutes = await http.koordinator!.queryOk<{ id: string; key: string }[]>("disclosures.statutes");
  const { disclosureId } = await http.koordinator!.mutationOk<{ disclosureId: string }>("disclosures.create", {
    caseId,
    statuteId: statutes.find((s) => s.key === "bvl-13-1")!.id,
    recipientUnitId: units["Barneverntjenesten"],
    categories: ["identity", "school"],
    justification: "Opplysningsplikten gjelder.",
  });
  const added = (await events({ actor: teacher, caseId })).slice(before);
  expect(added.map((e) => e.action)).toEqual(["disclosure.create"]);
  expect(added[0]).toMatchObject({ resource_id: disclosureId, basis: { kind: "own_unit", unitId: units["Fjellheim skole"] } });
});

test("a consent change records the basis on which its coordinator acts, not always the owning unit", async () => {
  const { caseId: other, subjectId: child } = await createChildCase(http.koordinator!, units["Fjellheim skole"]!, "Sander Stafett", 2013);
  const { consentId: c } = await http.koordinator!.mutationOk<{ consentId: string }>("consents.create", { caseId: other, ...consentTerms(child, [units["Helsestasjonen"]!]) });
  await http.koordinator!.mutationOk("consents.activate", { consentId: c });
  // The nurse takes the baton: she sees the case on the family's consent, not as its owner.
  const { handoverId } = await http.koordinator!.mutationOk<{ handoverId: string }>("cases.proposeHandover", { caseId: other, toUserId: idOf("Hanne Helsesykepleier") });
  await http.helsesykepleier!.mutationOk("cases.acceptHandover", { handoverId });
  await http.helsesykepleier!.mutationOk("consents.withdraw", { consentId: c, reason: "Familien ønsket det" });
  // One event for one change, on the consent (not a second one for the authorization).
  const recorded = await events({ action: "consent.withdraw", caseId: other });
  expect(recorded.map((e) => e.resource_type)).toEqual(["consent"]);
  const [withdrawn] = recorded;
  expect(withdrawn!.basis).toMatchObject({ kind: "consent", consentId: c, unitId: units["Helsestasjonen"] });
  expect(withdrawn!.actor_unit_id).toBe(units["Helsestasjonen"]);
});

test("a declined handover is recorded as a decline with the decliner's basis, not as a refused access", async () => {
  const { caseId: other } = await createChildCase(http.koordinator!, units["Fjellheim skole"]!, "Dina Depesje", 2012);
  await http.koordinator!.mutationOk("cases.addParticipant", { caseId: other, unitId: units["Fjellheim skole"], userId: idOf("Lars Leder") });
  const { handoverId } = await http.koordinator!.mutationOk<{ handoverId: string }>("cases.proposeHandover", { caseId: other, toUserId: idOf("Lars Leder") });
  await http.leder!.mutationOk("cases.declineHandover", { handoverId });
  const rows = await events({ actor: idOf("Lars Leder"), caseId: other });
  expect(rows.filter((e) => e.action.startsWith("denied:"))).toEqual([]);
  const [decline] = rows.filter((e) => e.action === "case.handover.decline");
  expect(decline!.basis).toMatchObject({ kind: "own_unit", unitId: units["Fjellheim skole"] });
  const log = await http.koordinator!.queryOk<{ action: string; basis: unknown }[]>("audit.caseLog", { caseId: other });
  expect(log.find((e) => e.action === "case.handover.decline")!.basis).not.toBeNull();
});

test("a refused look at a hidden case is audited exactly like a guessed id", async () => {
  const barnevern = idOf("Berit Barnevern");
  const guess = randomUUID();
  const hidden = await http.barnevern!.query("cases.get", { caseId });
  const missing = await http.barnevern!.query("cases.get", { caseId: guess });
  expect(!hidden.ok && !missing.ok).toBe(true);
  const denied = (await events({ actor: barnevern })).filter((e) => e.action === "denied:case.read");
  expect(denied).toHaveLength(2);
  expect(denied[0]).toEqual(denied[1]);
  expect(denied[0]).toMatchObject({ case_id: null, resource_id: null, basis: null });
  // Nothing anywhere in the log names the hidden case for barnevern.
  expect((await events({ actor: barnevern, caseId })).length).toBe(0);
  // And the leader's review, which lists refusals by their staff, shows no id of a case
  // hidden from them: a teacher of the school trying a case of barnevern leaves no id.
  const { caseId: bvCase } = await createChildCase(http.barnevern!, units["Barneverntjenesten"]!, "Jonas Skjult", 2012);
  expect((await http.koordinator!.query("cases.get", { caseId: bvCase })).ok).toBe(false);
  const review = await http.leder!.queryOk<{ action: string; actorName: string }[]>("audit.accessReview");
  expect(review.some((r) => r.action === "denied:case.read" && r.actorName === "Kari Koordinator")).toBe(true);
  expect(JSON.stringify(review)).not.toContain(bvCase);
});

test("a refused look from another municipality leaves nothing its leader's review could name, and nothing in ours", async () => {
  await createMunicipality(app.db, "Nabo kommune", DEMO_PASSWORD, [
    { email: "leder@nabo.test", unit: "Nabo skole", kind: "school", role: "leader" },
    { email: "laerer@nabo.test", unit: "Nabo skole", kind: "school", role: "caseworker" },
  ]);
  const outsider = await app.signedIn("laerer@nabo.test");
  const theirLeader = await app.signedIn("leder@nabo.test");
  const tried = await outsider.query("cases.get", { caseId });
  const guessed = await outsider.query("cases.get", { caseId: randomUUID() });
  expect(!tried.ok && !guessed.ok && tried.error.message === guessed.error.message).toBe(true);
  const review = await theirLeader.queryOk<{ action: string }[]>("audit.accessReview");
  expect(review.filter((r) => r.action === "denied:case.read")).toHaveLength(2);
  expect(JSON.stringify(review)).not.toContain(caseId);
  // Our municipality's log holds nothing of theirs for this case, and theirs nothing of ours.
  expect(await events({ actor: (await app.db.selectFrom("users").select("id").where("email", "=", "laerer@nabo.test").executeTakeFirstOrThrow()).id, caseId })).toEqual([]);
});

test("a message id in use in a thread the sender cannot see answers exactly like a conversation the sender cannot see", async () => {
  const hiddenId = randomUUID();
  await http.koordinator!.mutationOk("messages.send", { id: hiddenId, conversationId, body: "Bare for dem som ser saken" });
  const { caseId: own } = await createChildCase(http.barnevern!, units["Barneverntjenesten"]!, "Oskar Egen", 2011);
  const { id: ownThread } = await http.barnevern!.mutationOk<{ id: string }>("conversations.ofCase", { caseId: own });
  const reuse = await http.barnevern!.mutation("messages.send", { id: hiddenId, conversationId: ownThread, body: "Prøver" });
  const hiddenThread = await http.barnevern!.mutation("messages.send", { id: randomUUID(), conversationId, body: "Prøver" });
  const shape = (r: typeof reuse) => ({ status: r.status, appCode: r.ok ? "OK" : r.error.data.appCode, message: r.ok ? "" : r.error.message });
  expect(shape(reuse)).toEqual(shape(hiddenThread));
  expect(shape(reuse).appCode).toBe("NOT_FOUND");
  // A retry of one's own send is still recognised as a duplicate.
  const mine = randomUUID();
  await http.barnevern!.mutationOk("messages.send", { id: mine, conversationId: ownThread, body: "Hei" });
  const again = await http.barnevern!.mutationOk<{ duplicate: boolean }>("messages.send", { id: mine, conversationId: ownThread, body: "Hei" });
  expect(again.duplicate).toBe(true);
});
