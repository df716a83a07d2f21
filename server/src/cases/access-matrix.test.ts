import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD, demoUsers } from "../demo/seed.ts";
import { consentTerms, createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";

// Every demo user against every case procedure: a case one may not see answers exactly
// like a case that does not exist, and never shows up in a list, a search or a count.

let server: TestServer;
const clients: Record<string, HttpClient> = {};
let units: Record<string, string>;
const cases: Record<string, { caseId: string; name: string; seenBy: string[] }> = {};
const MISSING = "7d7c6f0e-1111-4aaa-8bbb-000000000000";

beforeAll(async () => {
  server = await startTestServer();
  for (const u of demoUsers) clients[u.email] = await signedIn(server.url, u.email, DEMO_PASSWORD);
  const teacher = clients["koordinator@demo.laget.no"]!;
  const barnevern = clients["barnevern@demo.laget.no"]!;
  units = await unitIdsByName(teacher);

  const school = await createChildCase(teacher, units["Fjellheim skole"]!, "Sofie Skole", 2015);
  cases.school = { caseId: school.caseId, name: "Sofie", seenBy: ["koordinator@demo.laget.no"] };

  const bv = await createChildCase(barnevern, units["Barneverntjenesten"]!, "Birk Barnevern", 2013);
  cases.barnevern = { caseId: bv.caseId, name: "Birk", seenBy: ["barnevern@demo.laget.no"] };

  const shared = await createChildCase(teacher, units["Fjellheim skole"]!, "Hedda Helse", 2016);
  const { consentId } = await teacher.mutationOk<{ consentId: string }>("consents.create", {
    caseId: shared.caseId,
    ...consentTerms(shared.subjectId, [units["Helsestasjonen"]!]),
  });
  await teacher.mutationOk("consents.activate", { consentId });
  cases.shared = { caseId: shared.caseId, name: "Hedda", seenBy: ["koordinator@demo.laget.no", "helsesykepleier@demo.laget.no"] };
});
afterAll(() => server?.stop());

/** Every procedure that takes a case id, with otherwise valid input. */
function probes(caseId: string): [string, "query" | "mutation", unknown][] {
  return [
    ["cases.get", "query", { caseId }],
    ["cases.audience", "query", { caseId, category: "plan" }],
    ["cases.notes", "query", { caseId }],
    ["cases.handoverHistory", "query", { caseId }],
    ["consents.list", "query", { caseId }],
    ["disclosures.forCase", "query", { caseId }],
    ["audit.caseLog", "query", { caseId }],
    ["audit.caseLogCsv", "query", { caseId }],
    ["cases.update", "mutation", { caseId, btiLevel: 3 }],
    ["cases.close", "mutation", { caseId, reason: "Forsøk" }],
    ["cases.addSubject", "mutation", { caseId, subject: { role: "parent", name: "Forelder" } }],
    ["cases.addNote", "mutation", { caseId, category: "school", body: "Forsøk" }],
    ["cases.addParticipant", "mutation", { caseId, unitId: units["PPT"] }],
    ["cases.removeParticipant", "mutation", { caseId, participantId: MISSING }],
    ["cases.proposeHandover", "mutation", { caseId, toUserId: MISSING }],
    ["consents.create", "mutation", { caseId, ...consentTerms(MISSING, [units["PPT"]!]) }],
    ["disclosures.create", "mutation", { caseId, statuteId: MISSING, recipientUnitId: units["PPT"], categories: ["school"], justification: "Forsøk" }],
  ];
}

test("a hidden case answers every procedure exactly like a missing one, for every demo user", async () => {
  let compared = 0;
  for (const [email, client] of Object.entries(clients)) {
    for (const c of Object.values(cases)) {
      if (c.seenBy.includes(email)) continue;
      const hidden = probes(c.caseId);
      const missing = probes(MISSING);
      for (let i = 0; i < hidden.length; i++) {
        const [path, kind, input] = hidden[i]!;
        const a = await client[kind](path, input);
        const b = await client[kind](path, missing[i]![2]);
        const shape = (r: typeof a) => ({ status: r.status, appCode: r.ok ? "OK" : r.error.data.appCode, message: r.ok ? "" : r.error.message });
        expect(shape(a), `${email} ${path}`).toEqual(shape(b));
        expect(a.status, `${email} ${path}`).toBe(404);
        compared++;
      }
    }
  }
  expect(compared).toBeGreaterThan(200);
});

test("lists, searches and filters never include a case one may not see", async () => {
  for (const [email, client] of Object.entries(clients)) {
    const all = await client.queryOk<{ id: string }[]>("cases.list", {});
    const expected = Object.values(cases).filter((c) => c.seenBy.includes(email)).map((c) => c.caseId).sort();
    expect(all.map((c) => c.id).sort(), email).toEqual(expected);
    for (const c of Object.values(cases)) {
      const found = await client.queryOk<{ id: string }[]>("cases.list", { search: c.name, status: "open" });
      expect(found.map((f) => f.id), `${email} searching ${c.name}`).toEqual(c.seenBy.includes(email) ? [c.caseId] : []);
    }
  }
});

test("the case stays visible to those who may see it, and guessing leaves a denied trace without revealing more", async () => {
  const nurse = clients["helsesykepleier@demo.laget.no"]!;
  expect((await nurse.query("cases.get", { caseId: cases.shared!.caseId })).ok).toBe(true);
  const denied = await server.db
    .selectFrom("audit_events")
    .select(["action", "case_id"])
    .select("resource_id")
    .where("action", "like", "denied:%")
    .execute();
  expect(denied.length).toBeGreaterThan(0);
  // A refused lookup names no case and no resource, hidden or missing alike.
  expect(denied.every((d) => d.case_id === null && d.resource_id === null)).toBe(true);
});
