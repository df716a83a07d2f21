import { afterAll, beforeAll, expect, test } from "vitest";
import type { AccessChanged } from "../events/bus.ts";
import { createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import type { TrpcClient } from "../testing/http-client.ts";
import { startTestApp, type TestApp } from "../testing/test-app.ts";
import { runConsentJobs } from "../consent/expiry.ts";

let app: TestApp;
let teacher: TrpcClient;
let barnevern: TrpcClient;
let nurse: TrpcClient;
let leader: TrpcClient;
let units: Record<string, string>;

beforeAll(async () => {
  app = await startTestApp();
  const as = (user: string) => app.signedIn(`${user}@demo.laget.no`);
  [teacher, barnevern, nurse, leader] = await Promise.all([as("koordinator"), as("barnevern"), as("helsesykepleier"), as("leder")]);
  units = await unitIdsByName(teacher);
});
afterAll(() => app?.stop());

test("a disclosure on a legal basis opens the named categories to the recipient, lands in the leader's queue, and can be revoked", async () => {
  const { caseId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Tobias Tryggve", 2013);
  await teacher.mutationOk("cases.addNote", { caseId, category: "school", body: "Tobias forteller om vold hjemme." });
  await teacher.mutationOk("cases.addNote", { caseId, category: "health", body: "Blåmerker på armen." });
  expect((await barnevern.query("cases.get", { caseId })).ok).toBe(false);

  const statutes = await teacher.queryOk<{ id: string; key: string; title: string }[]>("disclosures.statutes");
  expect(statutes.map((s) => s.title)).toContain("Opplysningsplikt til barnevernet");
  const statute = statutes.find((s) => s.key === "bvl-13-1")!;

  // Only the unit that owns the data discloses it.
  const notOwner = await nurse.mutation("disclosures.create", {
    caseId, statuteId: statute.id, recipientUnitId: units["Barneverntjenesten"], categories: ["school"], justification: "x",
  });
  expect(!notOwner.ok && notOwner.error.data.appCode).toBe("NOT_FOUND");
  const toVolunteer = await teacher.mutation("disclosures.create", {
    caseId, statuteId: statute.id, recipientUnitId: units["Røde Kors Fjellheim"], categories: ["school"], justification: "x",
  });
  expect(!toVolunteer.ok && toVolunteer.error.data.appCode).toBe("VOLUNTEER_NOT_PARTICIPANT");

  const { disclosureId } = await teacher.mutationOk<{ disclosureId: string }>("disclosures.create", {
    caseId,
    statuteId: statute.id,
    recipientUnitId: units["Barneverntjenesten"],
    categories: ["identity", "school"],
    justification: "Eleven har fortalt om vold i hjemmet; opplysningsplikten gjelder.",
  });

  const seen = await barnevern.queryOk<{ basis: { kind: string; disclosureId: string } }>("cases.get", { caseId });
  expect(seen.basis).toMatchObject({ kind: "disclosure", disclosureId });
  const notes = await barnevern.queryOk<{ notes: { category: string }[] }>("cases.notes", { caseId });
  expect(notes.notes.map((n) => n.category)).toEqual(["school"]);
  // The disclosure is for barnevern only: the nurse still sees nothing.
  expect((await nurse.query("cases.get", { caseId })).ok).toBe(false);

  const queue = await leader.queryOk<{ id: string; statuteTitle: string; justification: string; review: unknown }[]>("disclosures.reviewQueue");
  expect(queue.find((d) => d.id === disclosureId)).toMatchObject({ statuteTitle: "Opplysningsplikt til barnevernet", review: null });
  const leaderNotes = await leader.queryOk<{ kind: string; caseId: string | null }[]>("notifications.list");
  expect(leaderNotes.map((n) => n.kind)).toContain("disclosure_to_review");
  expect(leaderNotes.every((n) => n.caseId === null)).toBe(true);
  await leader.mutationOk("disclosures.review", { disclosureId, outcome: "approved", note: "Riktig vurdert." });
  const reviewed = await leader.queryOk<{ id: string; review: { outcome: string; by: string } }[]>("disclosures.reviewQueue");
  expect(reviewed.find((d) => d.id === disclosureId)!.review).toMatchObject({ outcome: "approved", by: "Lars Leder" });
  // Someone who does not lead the unit has no queue.
  expect((await teacher.query("disclosures.reviewQueue")).status).toBe(403);

  // Access by disclosure shows up in the leader's review of access outside an active basis.
  // The leader is not on the case: it is named only as "case A", never by id or names.
  const review = await leader.queryOk<{ kind: string; case: unknown }[]>("audit.accessReview");
  expect(review.some((r) => r.kind === "disclosure" && JSON.stringify(r.case) === JSON.stringify({ visible: false, letter: "A" }))).toBe(true);
  expect(JSON.stringify(review)).not.toContain(caseId);

  const events: AccessChanged[] = [];
  const off = app.bus.subscribe((e) => e.type === "accessChanged" && events.push(e));
  await teacher.mutationOk("disclosures.revoke", { disclosureId });
  off();
  expect(events).toEqual([expect.objectContaining({ caseId, reason: "disclosure_revoked", unitIds: [units["Barneverntjenesten"]] })]);
  expect((await barnevern.query("cases.get", { caseId })).ok).toBe(false);

  const verify = await leader.queryOk<{ ok: boolean }>("audit.verify");
  expect(verify.ok).toBe(true);
});

test("a disclosure past its validUntil: those who could see the case through it are told once that access ended", async () => {
  const { caseId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Vilde Vik", 2012);
  const statutes = await teacher.queryOk<{ id: string; key: string }[]>("disclosures.statutes");
  const validUntil = new Date(Date.now() + 1_500);
  await teacher.mutationOk("disclosures.create", {
    caseId,
    statuteId: statutes.find((s) => s.key === "bvl-13-1")!.id,
    recipientUnitId: units["Barneverntjenesten"],
    categories: ["identity", "school"],
    justification: "Opplysningsplikten gjelder for en periode.",
    validUntil,
  });
  expect((await barnevern.query("cases.get", { caseId })).ok).toBe(true);
  // Waiting for a moment to pass, not for something not to happen.
  await new Promise((resolve) => setTimeout(resolve, validUntil.getTime() - Date.now() + 10));
  expect((await barnevern.query("cases.get", { caseId })).ok).toBe(false);
  await runConsentJobs(app.db, app.bus);
  await runConsentJobs(app.db, app.bus);
  const notices = (await barnevern.queryOk<{ kind: string; caseId: string | null }[]>("notifications.list")).filter((n) => n.caseId === caseId);
  expect(notices.map((n) => n.kind)).toEqual(["case_access_ended"]);
});
