import { afterAll, beforeAll, expect, test } from "vitest";
import { createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import type { TrpcClient } from "../testing/http-client.ts";
import { startTestApp, type TestApp } from "../testing/test-app.ts";
import { accessLogCsv, csvCell, type AccessLogEntry } from "./access-log.ts";
import { auditPhraseNb, osloTime } from "./phrases.ts";

// The access log is readable by a family (issue 9, item 20): plain words, local time,
// identical reads folded, a CSV Excel opens; the leader's review names cases only as
// far as the leader may see them.

let app: TestApp;
const http: Record<string, TrpcClient> = {};
let units: Record<string, string>;

beforeAll(async () => {
  app = await startTestApp();
  for (const user of ["koordinator", "helsesykepleier", "leder"]) http[user] = await app.signedIn(`${user}@demo.laget.no`);
  units = await unitIdsByName(http.koordinator!);
});
afterAll(() => app?.stop());

const entry = (at: string, action: string, over: Partial<AccessLogEntry> = {}): AccessLogEntry => ({
  id: 1,
  at: new Date(at),
  actorName: "Hanne Helsesykepleier",
  unitName: "Helsestasjonen",
  action,
  resourceType: "case",
  basis: { kind: "consent", consentId: "c", consentVersion: 2, unitId: "u" },
  purpose: "coordination",
  ...over,
});

test("every audited action has a plain Norwegian phrase; a refusal says what was tried", () => {
  expect(auditPhraseNb("note.read")).toBe("Leste notat");
  expect(auditPhraseNb("plan.connect")).toBe("Åpnet tiltaksplanen");
  expect(auditPhraseNb("denied:case.read")).toBe("Avvist forsøk: Åpnet saken");
});

test("the CSV has a BOM, Norwegian headers, ';', local Oslo time and identical reads folded with a count", () => {
  const csv = accessLogCsv([
    // Newest first, as the log lists them. 12:30 UTC in summer is 14:30 in Oslo.
    entry("2026-06-01T12:30:00Z", "case.read"),
    entry("2026-06-01T12:20:00Z", "case.read"),
    entry("2026-06-01T12:10:00Z", "case.read"),
    entry("2026-06-01T12:05:00Z", "note.create", { basis: { kind: "own_unit", unitId: "u" }, actorName: "Kari; Koordinator" }),
    entry("2026-06-01T12:00:00Z", "denied:case.read", { basis: null, unitName: null }),
  ]);
  expect(csv.startsWith("\uFEFF")).toBe(true);
  const lines = csv.slice(1).trimEnd().split("\r\n");
  expect(lines).toEqual([
    "Tid;Siste gang;Person;Enhet;Handling;Antall;Grunnlag;Formål",
    '2026-06-01 14:10:00;2026-06-01 14:30:00;Hanne Helsesykepleier;Helsestasjonen;Åpnet saken;3;"Samtykke, versjon 2";Samordning',
    '2026-06-01 14:05:00;;"Kari; Koordinator";Helsestasjonen;Skrev et notat;1;Egen enhet;Samordning',
    "2026-06-01 14:00:00;;Hanne Helsesykepleier;;Avvist forsøk: Åpnet saken;1;Ingen – avvist;Samordning",
  ]);
  expect(osloTime(new Date("2026-01-15T12:00:00Z"))).toBe("2026-01-15 13:00:00");
  expect(csvCell('a "b"')).toBe('"a ""b"""');
});

test("the leader's review names a case by its subjects only where the leader may see it, otherwise by a letter", async () => {
  const statute = (await http.koordinator!.queryOk<{ id: string; key: string }[]>("disclosures.statutes")).find((s) => s.key === "fvl-13b-5")!;
  const people = await http.koordinator!.queryOk<{ id: string; displayName: string }[]>("users.directory");
  const lars = people.find((p) => p.displayName === "Lars Leder")!.id;
  // Two cases with a disclosure made by the school's coordinator: Lars is on one of them.
  const seen = await createChildCase(http.koordinator!, units["Fjellheim skole"]!, "Ella Synlig", 2014);
  const hidden = await createChildCase(http.koordinator!, units["Fjellheim skole"]!, "Ivar Usynlig", 2014);
  await http.koordinator!.mutationOk("cases.addParticipant", { caseId: seen.caseId, unitId: units["Fjellheim skole"], userId: lars });
  for (const c of [seen, hidden]) {
    await http.koordinator!.mutationOk("disclosures.create", { caseId: c.caseId, statuteId: statute.id, recipientUnitId: units["PPT"], categories: ["school"], justification: "Behov for vurdering." });
  }
  const review = await http.leder!.queryOk<{ kind: string; case: unknown }[]>("audit.accessReview");
  const refs = review.filter((r) => r.kind === "disclosure").map((r) => r.case);
  expect(refs).toContainEqual({ visible: true, caseId: seen.caseId, names: ["Ella Synlig"] });
  expect(refs).toContainEqual({ visible: false, letter: "A" });
  expect(JSON.stringify(review)).not.toContain(hidden.caseId);
  expect(JSON.stringify(review)).not.toContain("Ivar");
});
