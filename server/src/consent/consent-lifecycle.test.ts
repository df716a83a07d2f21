import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { AccessChanged } from "../events/bus.ts";
import { consentTerms, createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import type { TrpcClient } from "../testing/http-client.ts";
import { startTestApp, type TestApp } from "../testing/test-app.ts";

/**
 * The consent states besides create/activate/withdraw (DESIGN.md §4.2): draft → requested,
 * requested → refused, and invalidation; and subjects added to a case after it was created.
 */

let app: TestApp;
let teacher: TrpcClient;
let nurse: TrpcClient;
let units: Record<string, string>;
const events: AccessChanged[] = [];

beforeAll(async () => {
  app = await startTestApp();
  app.bus.subscribe((e) => e.type === "accessChanged" && events.push(e));
  const as = (user: string) => app.signedIn(`${user}@demo.laget.no`);
  [teacher, nurse] = await Promise.all([as("koordinator"), as("helsesykepleier")]);
  units = await unitIdsByName(teacher);
});
afterAll(() => app?.stop());

type Consent = { id: string; status: string; endReason: string | null; history: { from: string | null; to: string; reason: string | null; by: string | null }[] };
type LogEntry = { actorName: string | null; action: string; resourceType: string };

const appCode = (res: { ok: boolean; error?: { data: { appCode: string | null } } }) => (res.ok ? "ok" : res.error!.data.appCode);
const consentOf = async (caseId: string, consentId: string) => (await teacher.queryOk<Consent[]>("consents.list", { caseId })).find((c) => c.id === consentId)!;
const actionsIn = async (caseId: string) => (await teacher.queryOk<LogEntry[]>("audit.caseLog", { caseId })).map((e) => `${e.resourceType}:${e.action}`);

describe("requested and refused", () => {
  let caseId: string;
  let subjectId: string;
  let consentId: string;

  test("only the coordinator marks a draft as requested; a requested consent gives no access", async () => {
    ({ caseId, subjectId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Sara Lie", 2013));
    ({ consentId } = await teacher.mutationOk<{ consentId: string }>("consents.create", { caseId, ...consentTerms(subjectId, [units["Helsestasjonen"]!]) }));
    expect(appCode(await nurse.mutation("consents.request", { consentId }))).toBe("NOT_FOUND");
    events.length = 0;
    await teacher.mutationOk("consents.request", { consentId });
    expect((await consentOf(caseId, consentId)).status).toBe("requested");
    expect(appCode(await teacher.mutation("consents.request", { consentId }))).toBe("INVALID_STATE");
    expect(appCode(await nurse.query("cases.get", { caseId }))).toBe("NOT_FOUND");
    expect(await nurse.queryOk<unknown[]>("cases.list", { search: "Sara" })).toEqual([]);
    expect(events).toEqual([]);
    expect(await actionsIn(caseId)).toContain("consent:consent.request");
  });

  test("refusal needs a reason and a requested consent; afterwards it can never be activated", async () => {
    const draft = await teacher.mutationOk<{ consentId: string }>("consents.create", { caseId, ...consentTerms(subjectId, [units["PPT"]!]) });
    expect(appCode(await teacher.mutation("consents.refuse", { consentId: draft.consentId, reason: "Nei" }))).toBe("INVALID_STATE");
    expect(appCode(await teacher.mutation("consents.refuse", { consentId, reason: "" }))).toBe("VALIDATION");

    await teacher.mutationOk("consents.refuse", { consentId, reason: "Foreldrene vil ikke dele med helsestasjonen nå." });
    const refused = await consentOf(caseId, consentId);
    expect(refused.status).toBe("refused");
    expect(refused.endReason).toBe("Foreldrene vil ikke dele med helsestasjonen nå.");
    expect(refused.history.map((h) => `${h.from}->${h.to}`)).toEqual(["null->draft", "draft->requested", "requested->refused"]);
    expect(refused.history.at(-1)).toMatchObject({ reason: "Foreldrene vil ikke dele med helsestasjonen nå.", by: "Kari Koordinator" });

    for (const step of ["consents.activate", "consents.request"]) expect(appCode(await teacher.mutation(step, { consentId }))).toBe("INVALID_STATE");
    expect(appCode(await teacher.mutation("consents.invalidate", { consentId, reason: "Feil" }))).toBe("INVALID_STATE");
    expect(appCode(await teacher.mutation("consents.deleteDraft", { consentId }))).toBe("INVALID_STATE");
    expect(appCode(await nurse.query("cases.get", { caseId }))).toBe("NOT_FOUND");
    expect(events).toEqual([]);
    expect(await actionsIn(caseId)).toContain("consent:consent.refuse");
  });
});

describe("invalidation", () => {
  test("an invalidated draft or requested consent ends without any access event", async () => {
    const { caseId, subjectId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Tobias Moe", 2015);
    const a = await teacher.mutationOk<{ consentId: string }>("consents.create", { caseId, ...consentTerms(subjectId, [units["Helsestasjonen"]!]) });
    const b = await teacher.mutationOk<{ consentId: string }>("consents.create", { caseId, ...consentTerms(subjectId, [units["Helsestasjonen"]!]) });
    await teacher.mutationOk("consents.request", { consentId: b.consentId });
    events.length = 0;
    await teacher.mutationOk("consents.invalidate", { consentId: a.consentId, reason: "Registrert på feil barn." });
    await teacher.mutationOk("consents.invalidate", { consentId: b.consentId, reason: "Feil i erklæringen." });
    expect(events).toEqual([]);
    expect((await consentOf(caseId, a.consentId)).history.map((h) => h.to)).toEqual(["draft", "invalidated"]);
    expect((await consentOf(caseId, b.consentId)).history.map((h) => h.to)).toEqual(["draft", "requested", "invalidated"]);
    expect(appCode(await teacher.mutation("consents.activate", { consentId: b.consentId }))).toBe("INVALID_STATE");
  });

  test("invalidating an active consent cuts access at once, like withdrawal: accessChanged, audit, history, neutral notice", async () => {
    const { caseId, subjectId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Ida Nilsen", 2012);
    const { consentId } = await teacher.mutationOk<{ consentId: string }>("consents.create", { caseId, ...consentTerms(subjectId, [units["Helsestasjonen"]!]) });
    await teacher.mutationOk("consents.activate", { consentId });
    expect((await nurse.query("cases.get", { caseId })).ok).toBe(true);
    expect(appCode(await nurse.mutation("consents.invalidate", { consentId, reason: "Prøver" }))).toBe("NOT_COORDINATOR");
    // The nurse is named in the case, so she gets the neutral notice.
    const nurseId = (await nurse.queryOk<{ id: string }>("auth.me")).id;
    await teacher.mutationOk("cases.addParticipant", { caseId, unitId: units["Helsestasjonen"]!, userId: nurseId });

    events.length = 0;
    await teacher.mutationOk("consents.invalidate", { consentId, reason: "Erklæringen var signert av en uten foreldreansvar." });
    expect(appCode(await nurse.query("cases.get", { caseId }))).toBe("NOT_FOUND");
    expect(await nurse.queryOk<unknown[]>("cases.list", { search: "Ida" })).toEqual([]);
    expect(events).toEqual([
      expect.objectContaining({ type: "accessChanged", caseId, reason: "consent_invalidated", unitIds: [units["Helsestasjonen"]] }),
    ]);
    const consent = await consentOf(caseId, consentId);
    expect(consent.status).toBe("invalidated");
    expect(consent.history.map((h) => `${h.from}->${h.to}`)).toEqual(["null->draft", "draft->active", "active->invalidated"]);
    expect(consent.history.at(-1)!.reason).toBe("Erklæringen var signert av en uten foreldreansvar.");
    expect(await actionsIn(caseId)).toContain("consent:consent.invalidate");
    const notices = (await nurse.queryOk<{ kind: string; caseId: string | null }[]>("notifications.list")).filter((n) => n.caseId === caseId);
    expect(notices.map((n) => n.kind)).toContain("consent_ended");
    // Ever active: never deleted, never reactivated.
    expect(appCode(await teacher.mutation("consents.activate", { consentId }))).toBe("INVALID_STATE");
    expect(appCode(await teacher.mutation("consents.withdraw", { consentId, reason: "Igjen" }))).toBe("INVALID_STATE");
  });
});

describe("subjects added after the case was created", () => {
  test("the coordinator adds a parent; the case shows them, it is audited, and others may not", async () => {
    const { caseId, subjectId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Nora Dahl", 2016);
    await teacher.mutationOk("cases.addSubject", { caseId, subject: { role: "parent", name: "Per Dahl", birthYear: 1985 } });
    const kase = await teacher.queryOk<{ subjects: { name: string; role: string; birthYear: number | null }[] }>("cases.get", { caseId });
    expect(kase.subjects.map((s) => `${s.role}:${s.name}:${s.birthYear}`)).toEqual(["child:Nora Dahl:2016", "parent:Per Dahl:1985"]);
    expect(await actionsIn(caseId)).toContain("case:case.subject.add");

    const both = await teacher.mutation("cases.addSubject", { caseId, subject: { role: "parent", name: "Lise Dahl", birthDate: "1986-02-01", birthYear: 1986 } });
    expect(appCode(both)).toBe("VALIDATION");
    expect(appCode(await teacher.mutation("cases.addSubject", { caseId, subject: { role: "parent", name: "  " } }))).toBe("VALIDATION");

    // The nurse, seeing the case by consent, may not add people to it.
    const { consentId } = await teacher.mutationOk<{ consentId: string }>("consents.create", { caseId, ...consentTerms(subjectId, [units["Helsestasjonen"]!]) });
    await teacher.mutationOk("consents.activate", { consentId });
    expect(appCode(await nurse.mutation("cases.addSubject", { caseId, subject: { role: "parent", name: "Ukjent" } }))).toBe("NOT_COORDINATOR");

    await teacher.mutationOk("cases.close", { caseId, reason: "Ferdig" });
    expect(appCode(await teacher.mutation("cases.addSubject", { caseId, subject: { role: "parent", name: "Lise Dahl" } }))).toBe("CASE_CLOSED");
    expect((await teacher.queryOk<{ subjects: unknown[] }>("cases.get", { caseId })).subjects).toHaveLength(2);
  });
});
