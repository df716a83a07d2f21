import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { consentTerms, createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { connectLive } from "../testing/live-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";

// A reviewer's read of the read paths (issue 9): people named outside the participant
// list must not tell what the participant list keeps confidential, and a notice must not
// promise a case the user cannot open.

let server: TestServer;
const http: Record<string, HttpClient> = {};
let units: Record<string, string>;
let people: { id: string; displayName: string }[];

const idOf = (name: string) => people.find((p) => p.displayName === name)!.id;

beforeAll(async () => {
  server = await startTestServer();
  for (const user of ["koordinator", "helsesykepleier", "nav", "barnevern"]) {
    http[user] = await signedIn(server.url, `${user}@demo.laget.no`, DEMO_PASSWORD);
  }
  units = await unitIdsByName(http.koordinator!);
  people = await http.koordinator!.queryOk("users.directory");
});
afterAll(() => server?.stop());

/** A school case shared with Helsestasjonen by consent and with Barneverntjenesten on a legal basis. */
async function caseWithChildWelfare(childName: string) {
  const { caseId, subjectId } = await createChildCase(http.koordinator!, units["Fjellheim skole"]!, childName, 2013);
  const { consentId } = await http.koordinator!.mutationOk<{ consentId: string }>("consents.create", {
    caseId,
    ...consentTerms(subjectId, [units["Helsestasjonen"]!]),
  });
  await http.koordinator!.mutationOk("consents.activate", { consentId });
  const statute = (await http.koordinator!.queryOk<{ id: string; key: string }[]>("disclosures.statutes")).find((s) => s.key === "bvl-13-1")!;
  await http.koordinator!.mutationOk("disclosures.create", {
    caseId,
    statuteId: statute.id,
    recipientUnitId: units["Barneverntjenesten"],
    categories: ["identity", "school"],
    justification: "Bekymring for omsorgssituasjonen.",
  });
  return caseId;
}

type Pending = { toName: string } | null;
type HandoverRow = { fromName: string; toName: string; status: string };

test("a handover to a child welfare caseworker is not named to those who may not know child welfare takes part", async () => {
  const caseId = await caseWithChildWelfare("Hedda Hemmelig");
  await http.koordinator!.mutationOk("cases.proposeHandover", { caseId, toUserId: idOf("Berit Barnevern") });

  const pending = async (user: string) => (await http[user]!.queryOk<{ pendingHandover: Pending }>("cases.get", { caseId })).pendingHandover;
  const history = async (user: string) => http[user]!.queryOk<HandoverRow[]>("cases.handoverHistory", { caseId });

  // Those with a basis to know: the coordinator, and child welfare itself.
  expect(await pending("koordinator")).toMatchObject({ toName: "Berit Barnevern" });
  expect(await pending("barnevern")).toMatchObject({ toName: "Berit Barnevern" });
  expect((await history("koordinator")).map((h) => h.toName)).toEqual(["Berit Barnevern"]);
  // The nurse sees the case, not that child welfare is in it: no handover, no name.
  expect(await pending("helsesykepleier")).toBeNull();
  expect(await history("helsesykepleier")).toEqual([]);

  // Declined, it stays in the history, still only for those who may know.
  const handoverId = (await http.barnevern!.queryOk<{ pendingHandover: { id: string } }>("cases.get", { caseId })).pendingHandover.id;
  await http.barnevern!.mutationOk("cases.declineHandover", { handoverId });
  expect((await history("barnevern")).map((h) => h.status)).toEqual(["declined"]);
  expect(await history("helsesykepleier")).toEqual([]);
  expect(JSON.stringify(await http.helsesykepleier!.queryOk("cases.get", { caseId }))).not.toContain("Berit");

  // Nor once she has left: a former child welfare caseworker's name tells as much.
  const berit = idOf("Berit Barnevern");
  await server.db.updateTable("users").set({ deactivated_at: new Date() }).where("id", "=", berit).execute();
  try {
    expect((await history("koordinator")).map((h) => h.toName)).toEqual(["Berit Barnevern"]);
    expect(await history("helsesykepleier")).toEqual([]);
  } finally {
    await server.db.updateTable("users").set({ deactivated_at: null }).where("id", "=", berit).execute();
  }
});

test("a handover between people the reader may know is shown to every reader of the case", async () => {
  const caseId = await caseWithChildWelfare("Vilja Vanlig");
  await http.koordinator!.mutationOk("cases.proposeHandover", { caseId, toUserId: idOf("Hanne Helsesykepleier") });
  expect((await http.helsesykepleier!.queryOk<{ pendingHandover: Pending }>("cases.get", { caseId })).pendingHandover).toMatchObject({
    toName: "Hanne Helsesykepleier",
  });
  expect((await http.helsesykepleier!.queryOk<HandoverRow[]>("cases.handoverHistory", { caseId })).map((h) => h.fromName)).toEqual(["Kari Koordinator"]);
});

type Notification = { kind: string; caseId: string | null };

test("a consent's activation and end are told only to named people who can open, or could open, the case", async () => {
  const { caseId, subjectId } = await createChildCase(http.koordinator!, units["Fjellheim skole"]!, "Ine Invitert", 2013);
  await http.koordinator!.mutationOk("cases.addParticipant", { caseId, unitId: units["Helsestasjonen"], userId: idOf("Hanne Helsesykepleier") });
  await http.koordinator!.mutationOk("cases.addParticipant", { caseId, unitId: units["NAV Fjellheim"], userId: idOf("Nils Veileder") });
  const terms = consentTerms(subjectId, [units["Helsestasjonen"]!, units["NAV Fjellheim"]!]);
  // NAV gets the plan only: without `identity` it cannot open the case.
  terms.provisions[1]!.categories = ["plan"];
  const { consentId } = await http.koordinator!.mutationOk<{ consentId: string }>("consents.create", { caseId, ...terms });
  await http.koordinator!.mutationOk("consents.activate", { consentId });

  const invitations = async (user: string) =>
    (await http[user]!.queryOk<Notification[]>("notifications.list")).filter((n) => n.kind === "case_invited" && n.caseId === caseId);
  // The sentinel: the nurse, who can open the case, was invited by the same activation.
  expect(await invitations("helsesykepleier")).toHaveLength(1);
  expect(await http.nav!.query("cases.get", { caseId })).toMatchObject({ error: { data: { code: "NOT_FOUND" } } });
  expect(await invitations("nav")).toEqual([]);

  // Nor is NAV told that the consent ended: it never saw the case. The nurse, who did, is told.
  await http.koordinator!.mutationOk("consents.withdraw", { consentId, reason: "Foreldrene trakk samtykket." });
  const ended = async (user: string) =>
    (await http[user]!.queryOk<Notification[]>("notifications.list")).filter((n) => n.kind === "consent_ended" && n.caseId === caseId);
  expect(await ended("helsesykepleier")).toHaveLength(1);
  expect(await ended("nav")).toEqual([]);
  expect((await http.nav!.queryOk<Notification[]>("notifications.list")).filter((n) => n.caseId === caseId)).toEqual([]);
});

test("Mine tiltak keeps every readable measure however many measures sit in cases the reader cannot see", async () => {
  // One case the nurse can read the plan of, and one she cannot see, with 500 earlier measures of hers.
  const { caseId: shared, subjectId } = await createChildCase(http.koordinator!, units["Fjellheim skole"]!, "Mia Mål", 2013);
  const { consentId } = await http.koordinator!.mutationOk<{ consentId: string }>("consents.create", {
    caseId: shared,
    ...consentTerms(subjectId, [units["Helsestasjonen"]!]),
  });
  await http.koordinator!.mutationOk("consents.activate", { consentId });
  const { caseId: hidden } = await createChildCase(http.koordinator!, units["Fjellheim skole"]!, "Siri Skjult", 2013);
  const { municipality_id } = await server.db.selectFrom("cases").select("municipality_id").where("id", "=", shared).executeTakeFirstOrThrow();
  const measure = (caseId: string, measureId: string, deadline: string) => ({
    case_id: caseId,
    measure_id: measureId,
    municipality_id,
    title: measureId,
    status: "planned",
    responsible_user_id: idOf("Hanne Helsesykepleier"),
    deadline,
  });
  await server.db
    .insertInto("plan_measures")
    .values([...Array.from({ length: 500 }, (_, i) => measure(hidden, `hidden-${i}`, "2030-01-01")), measure(shared, "readable", "2099-12-31")])
    .execute();

  const mine = await http.helsesykepleier!.queryOk<{ caseId: string; measureId: string }[]>("plans.myMeasures", { filter: "all" });
  expect(mine.map((m) => m.measureId)).toEqual(["readable"]);
  expect(mine.some((m) => m.caseId === hidden)).toBe(false);
});

test("an id has one spelling: an upper-case case or thread id is refused at the boundary, over HTTP and the socket", async () => {
  const { caseId } = await createChildCase(http.koordinator!, units["Fjellheim skole"]!, "Una Unik", 2013);
  const { id: conversationId } = await http.koordinator!.mutationOk<{ id: string }>("conversations.ofCase", { caseId });
  const upper = conversationId.toUpperCase();
  // The canonical spelling works; the other is refused as bad input, never found under a second name.
  expect((await http.koordinator!.query("conversations.get", { conversationId })).ok).toBe(true);
  expect(await http.koordinator!.query("conversations.get", { conversationId: upper })).toMatchObject({ ok: false, error: { data: { code: "BAD_REQUEST" } } });
  expect(await http.koordinator!.query("cases.get", { caseId: caseId.toUpperCase() })).toMatchObject({ ok: false, error: { data: { code: "BAD_REQUEST" } } });
  expect(await http.koordinator!.query("plans.revisions", { caseId: caseId.toUpperCase() })).toMatchObject({ ok: false, error: { data: { code: "BAD_REQUEST" } } });
  // A socket in a room named by the other spelling would be missed when access is re-judged.
  const live = await connectLive(server.url, http.koordinator!.cookie!);
  try {
    expect((await live.request("conversation:join", { conversationId })).ok).toBe(true);
    expect((await live.request("conversation:join", { conversationId: upper })).ok).toBe(false);
  } finally {
    live.close();
  }
});

test("a plan revision does not name a child welfare editor to readers who may not know child welfare takes part", async () => {
  const caseId = await caseWithChildWelfare("Pia Plan");
  await server.db
    .insertInto("document_revisions")
    .values({ document_name: `plan:${caseId}`, state: "", reason: "periodic", editor_user_ids: JSON.stringify([idOf("Kari Koordinator"), idOf("Berit Barnevern")]) })
    .execute();
  const editors = async (user: string) =>
    (await http[user]!.queryOk<{ editors: { name: string | null }[] }[]>("plans.revisions", { caseId })).flatMap((r) => r.editors.map((e) => e.name));
  expect(await editors("koordinator")).toEqual(["Kari Koordinator", "Berit Barnevern"]);
  expect(await editors("helsesykepleier")).toEqual(["Kari Koordinator"]);
});
