import { afterAll, beforeAll, expect, test } from "vitest";
import { consentTerms, createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import type { TrpcClient } from "../testing/http-client.ts";
import { startTestApp, type TestApp } from "../testing/test-app.ts";

// That barnevern takes part is itself confidential (issue 9, item 6), and every
// participant's access is explained as decide() judges it (item 18).

let app: TestApp;
const http: Record<string, TrpcClient> = {};
let units: Record<string, string>;
let people: { id: string; displayName: string }[];
let caseId: string;
let consentId: string;

type Access = { canSee: true; basis: { kind: string; consentVersion?: number }; categories: string[] } | { canSee: false; needs: string };
type Participant = { unitName: string; unitKind: string; userName: string | null; access: Access | null };
type Consent = { scope: string; grantors?: unknown; childViews?: unknown; evidence?: unknown; provisions: { unitId: string }[]; history: { reason: string | null }[] };
type Person = { userId: string; displayName: string; unitName: string };

const idOf = (name: string) => people.find((p) => p.displayName === name)!.id;
const participants = async (user: string) => (await http[user]!.queryOk<{ participants: Participant[] }>("cases.get", { caseId })).participants;
const unitNames = (ps: Participant[]) => ps.map((p) => p.unitName).sort();

beforeAll(async () => {
  app = await startTestApp();
  for (const user of ["koordinator", "helsesykepleier", "nav", "barnevern", "leder"]) {
    http[user] = await app.signedIn(`${user}@demo.laget.no`);
  }
  units = await unitIdsByName(http.koordinator!);
  people = await http.koordinator!.queryOk("users.directory");
  let subjectId: string;
  ({ caseId, subjectId } = await createChildCase(http.koordinator!, units["Fjellheim skole"]!, "Vilde Vern", 2013));
  const terms = consentTerms(subjectId, [units["Helsestasjonen"]!, units["NAV Fjellheim"]!]);
  ({ consentId } = await http.koordinator!.mutationOk<{ consentId: string }>("consents.create", { caseId, ...terms }));
  await http.koordinator!.mutationOk("consents.activate", { consentId });
  const statute = (await http.koordinator!.queryOk<{ id: string; key: string }[]>("disclosures.statutes")).find((s) => s.key === "bvl-13-1")!;
  await http.koordinator!.mutationOk("disclosures.create", {
    caseId,
    statuteId: statute.id,
    recipientUnitId: units["Barneverntjenesten"],
    categories: ["identity", "school", "conversation"],
    justification: "Bekymring for omsorgssituasjonen.",
  });
});
afterAll(() => app?.stop());

test("child welfare's taking part is shown to the coordinator and to child welfare, not to the other services", async () => {
  expect(unitNames(await participants("koordinator"))).toContain("Barneverntjenesten");
  expect(unitNames(await participants("barnevern"))).toContain("Barneverntjenesten");
  for (const user of ["helsesykepleier", "nav"]) {
    const seen = await participants(user);
    expect(unitNames(seen), user).toEqual(["Fjellheim skole", "Helsestasjonen", "NAV Fjellheim"]);
    expect(seen.some((p) => p.unitKind === "child_welfare"), user).toBe(false);
  }
});

test("a disclosure is read by its discloser, its recipient, the coordinator and the discloser's leader only", async () => {
  expect(await http.koordinator!.queryOk<unknown[]>("disclosures.forCase", { caseId })).toHaveLength(1);
  expect(await http.barnevern!.queryOk<unknown[]>("disclosures.forCase", { caseId })).toHaveLength(1);
  expect(await http.helsesykepleier!.queryOk<unknown[]>("disclosures.forCase", { caseId })).toEqual([]);
  expect(await http.nav!.queryOk<unknown[]>("disclosures.forCase", { caseId })).toEqual([]);
  await http.koordinator!.mutationOk("cases.addParticipant", { caseId, unitId: units["Fjellheim skole"], userId: idOf("Lars Leder") });
  expect(await http.leder!.queryOk<unknown[]>("disclosures.forCase", { caseId })).toHaveLength(1);
});

test("consent details are for the managing unit and the coordinator; each recipient unit sees its own provision", async () => {
  const [full] = await http.koordinator!.queryOk<Consent[]>("consents.list", { caseId });
  expect(full).toMatchObject({ scope: "full", grantors: [expect.objectContaining({ name: "Kari Hansen" })] });
  expect(full!.provisions).toHaveLength(2);
  const [own] = await http.helsesykepleier!.queryOk<Consent[]>("consents.list", { caseId });
  expect(own!.scope).toBe("own_provisions");
  expect(own!.provisions.map((p) => p.unitId)).toEqual([units["Helsestasjonen"]]);
  expect(own).not.toHaveProperty("grantors");
  expect(own).not.toHaveProperty("childViews");
  expect(own).not.toHaveProperty("evidence");
  expect(JSON.stringify(own)).not.toContain("Emma vil");
  // Child welfare, on a disclosure and named in no provision, is not shown the family's consent.
  expect(await http.barnevern!.queryOk<Consent[]>("consents.list", { caseId })).toEqual([]);
});

test("the participants list says what each participant can see now and why, for those who run the case", async () => {
  const list = await participants("koordinator");
  const of = (unit: string) => list.find((p) => p.unitName === unit && p.userName === null)!.access;
  expect(of("Helsestasjonen")).toMatchObject({ canSee: true, basis: { kind: "consent", consentVersion: 1 } });
  expect((of("Helsestasjonen") as { categories: string[] }).categories).toEqual(expect.arrayContaining(["identity", "plan", "conversation", "school"]));
  expect(of("Barneverntjenesten")).toMatchObject({ canSee: true, basis: { kind: "disclosure" }, categories: ["identity", "conversation", "school"] });
  const kari = list.find((p) => p.userName === "Kari Koordinator")!.access;
  expect(kari).toMatchObject({ canSee: true, basis: { kind: "own_unit" } });

  // Adding a unit without a basis says at once that it cannot see the case yet.
  const added = await http.koordinator!.mutationOk<{ access: Access }>("cases.addParticipant", { caseId, unitId: units["PPT"] });
  expect(added.access).toEqual({ canSee: false, needs: "consent" });
  expect((await participants("koordinator")).find((p) => p.unitName === "PPT")!.access).toEqual({ canSee: false, needs: "consent" });

  // The nurse is told about her own unit only: another unit's access would tell its provision.
  const nurseView = await participants("helsesykepleier");
  expect(nurseView.find((p) => p.unitName === "Helsestasjonen")!.access).toMatchObject({ canSee: true });
  expect(nurseView.find((p) => p.unitName === "NAV Fjellheim")!.access).toBeNull();
});

test("who can see the case or its plan is listed per person, without confidential participants for those without a basis", async () => {
  const names = (list: Person[]) => list.map((p) => p.displayName).sort();
  const forCoordinator = await http.koordinator!.queryOk<Person[]>("cases.audience", { caseId, category: "identity" });
  expect(names(forCoordinator)).toEqual(expect.arrayContaining(["Berit Barnevern", "Hanne Helsesykepleier", "Kari Koordinator", "Nils Veileder"]));
  const forNurse = await http.helsesykepleier!.queryOk<Person[]>("cases.audience", { caseId, category: "identity" });
  expect(names(forNurse)).toContain("Hanne Helsesykepleier");
  expect(names(forNurse)).not.toContain("Berit Barnevern");
  // The plan was not disclosed to child welfare: Berit cannot see it, so she is not offered.
  const plan = await http.koordinator!.queryOk<Person[]>("cases.audience", { caseId, category: "plan" });
  expect(names(plan)).not.toContain("Berit Barnevern");
  expect(names(plan)).toContain("Hanne Helsesykepleier");
});

test("a case thread's members are listed without child welfare for those without a basis to know", async () => {
  const { id: conversationId } = await http.koordinator!.mutationOk<{ id: string }>("conversations.ofCase", { caseId });
  const members = async (user: string) => (await http[user]!.queryOk<{ displayName: string }[]>("conversations.members", { conversationId })).map((m) => m.displayName);
  expect(await members("koordinator")).toContain("Berit Barnevern");
  expect(await members("barnevern")).toContain("Berit Barnevern");
  expect(await members("helsesykepleier")).toContain("Hanne Helsesykepleier");
  expect(await members("helsesykepleier")).not.toContain("Berit Barnevern");
});

test("a municipality can mark more unit kinds confidential", async () => {
  await app.db.updateTable("municipalities").set({ confidential_unit_kinds: JSON.stringify(["ppt"]) }).execute();
  try {
    expect(unitNames(await participants("koordinator"))).toContain("PPT");
    expect(unitNames(await participants("helsesykepleier"))).not.toContain("PPT");
  } finally {
    await app.db.updateTable("municipalities").set({ confidential_unit_kinds: "[]" }).execute();
  }
});
