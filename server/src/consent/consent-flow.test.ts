import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { AccessChanged } from "../events/bus.ts";
import { consentTerms, createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import type { TrpcClient } from "../testing/http-client.ts";
import { startTestApp, type TestApp } from "../testing/test-app.ts";
import { runConsentJobs } from "./expiry.ts";

let app: TestApp;
let teacher: TrpcClient;
let nurse: TrpcClient;
let nav: TrpcClient;
let barnevern: TrpcClient;
let units: Record<string, string>;
const events: AccessChanged[] = [];

beforeAll(async () => {
  app = await startTestApp();
  app.bus.subscribe((e) => e.type === "accessChanged" && events.push(e));
  const as = (user: string) => app.signedIn(`${user}@demo.laget.no`);
  [teacher, nurse, nav, barnevern] = await Promise.all([as("koordinator"), as("helsesykepleier"), as("nav"), as("barnevern")]);
  units = await unitIdsByName(teacher);
});
afterAll(() => app?.stop());

type Consent = { id: string; status: string; version: number; history: { from: string | null; to: string }[] };

describe("consent opens a case to the units named, and withdrawal closes it at once", () => {
  let caseId: string;
  let subjectId: string;
  let consentId: string;

  test("without consent, other units cannot see the case at all", async () => {
    ({ caseId, subjectId } = await createChildCase(teacher, units["Fjellheim skole"]!));
    for (const other of [nurse, nav, barnevern]) {
      const res = await other.query("cases.get", { caseId });
      expect(!res.ok && res.error.data.appCode).toBe("NOT_FOUND");
      expect(await other.queryOk<unknown[]>("cases.list", {})).toEqual([]);
    }
  });

  test("a draft consent gives nothing; the child's views are required from age 7", async () => {
    const noViews = consentTerms(subjectId, [units["Helsestasjonen"]!, units["NAV Fjellheim"]!], { childViews: null });
    ({ consentId } = await teacher.mutationOk<{ consentId: string }>("consents.create", { caseId, ...noViews }));
    expect((await nurse.query("cases.get", { caseId })).ok).toBe(false);
    const refused = await teacher.mutation("consents.activate", { consentId });
    expect(!refused.ok && refused.error.data.appCode).toBe("CHILD_VIEWS_REQUIRED");
    await teacher.mutationOk("consents.deleteDraft", { consentId });

    const terms = consentTerms(subjectId, [units["Helsestasjonen"]!, units["NAV Fjellheim"]!]);
    ({ consentId } = await teacher.mutationOk<{ consentId: string }>("consents.create", { caseId, ...terms }));
    await teacher.mutationOk("consents.activate", { consentId });
  });

  test("active: the nurse and NAV find and open the case; barnevern does not", async () => {
    const found = await nurse.queryOk<{ id: string }[]>("cases.list", { search: "Emma" });
    expect(found.map((c) => c.id)).toEqual([caseId]);
    const opened = await nurse.queryOk<{ subjects: { name: string }[]; basis: { kind: string } }>("cases.get", { caseId });
    expect(opened.subjects[0]!.name).toBe("Emma Hansen");
    expect(opened.basis.kind).toBe("consent");
    expect((await nav.query("cases.get", { caseId })).ok).toBe(true);
    expect(await barnevern.queryOk<unknown[]>("cases.list", { search: "Emma" })).toEqual([]);
    expect(!((await barnevern.query("cases.get", { caseId })) as { ok: boolean }).ok).toBe(true);
  });

  test("categories: NAV reads school notes but not health notes; the health station's own notes stay its own", async () => {
    await teacher.mutationOk("cases.addNote", { caseId, category: "school", body: "Emma har hatt mye fravær i høst." });
    await teacher.mutationOk("cases.addNote", { caseId, category: "health", body: "Skolen er bekymret for søvnen." });
    await nurse.mutationOk("cases.addNote", { caseId, category: "health", body: "Samtale med Emma om søvn." });
    const navNotes = await nav.queryOk<{ notes: { category: string; body: string }[]; readableCategories: string[] }>("cases.notes", { caseId });
    expect(navNotes.notes.map((n) => n.category)).toEqual(["school"]);
    expect(navNotes.readableCategories).not.toContain("health");
    const nurseNotes = await nurse.queryOk<{ notes: { category: string; unitName: string }[] }>("cases.notes", { caseId });
    // The nurse sees her own health note and the school's school note, not the school's health note.
    expect(nurseNotes.notes.map((n) => `${n.unitName}:${n.category}`).sort()).toEqual(["Fjellheim skole:school", "Helsestasjonen:health"]);
    const teacherNotes = await teacher.queryOk<{ notes: unknown[] }>("cases.notes", { caseId });
    expect(teacherNotes.notes).toHaveLength(2);
  });

  test("active terms are locked, even in SQL; a record that was ever active is never deleted", async () => {
    await expect(sql`update consents set period_end = period_end + interval '1 year' where id = ${consentId}`.execute(app.db)).rejects.toThrow(/locked/);
    await expect(sql`delete from consents where id = ${consentId}`.execute(app.db)).rejects.toThrow(/cannot be deleted/);
    const del = await teacher.mutation("consents.deleteDraft", { consentId });
    expect(!del.ok && del.error.data.appCode).toBe("INVALID_STATE");
  });

  test("only the coordinator manages consent", async () => {
    const res = await nurse.mutation("consents.withdraw", { consentId, reason: "Prøver" });
    expect(!res.ok && res.error.data.appCode).toBe("NOT_COORDINATOR");
  });

  test("withdrawal: the nurse's next request is refused, an accessChanged event goes out, and the access log shows the nurse's reads on the consent", async () => {
    events.length = 0;
    await teacher.mutationOk("consents.withdraw", { consentId, reason: "Foreldrene trakk samtykket i møte 12.11." });
    const res = await nurse.query("cases.get", { caseId });
    expect(!res.ok && res.error.data.appCode).toBe("NOT_FOUND");
    expect(await nurse.queryOk<unknown[]>("cases.list", {})).toEqual([]);
    expect(events).toEqual([expect.objectContaining({ type: "accessChanged", caseId, reason: "consent_withdrawn" })]);

    const log = await teacher.queryOk<{ actorName: string; action: string; basis: { kind: string; consentId?: string; consentVersion?: number } | null }[]>("audit.caseLog", { caseId });
    const nurseReads = log.filter((e) => e.actorName === "Hanne Helsesykepleier" && e.action === "case.read");
    expect(nurseReads.length).toBeGreaterThan(0);
    expect(nurseReads.every((e) => e.basis?.kind === "consent" && e.basis.consentId === consentId && e.basis.consentVersion === 1)).toBe(true);
    // Her refused attempt afterwards names no case (item 10): it leaves the same trace as a guessed id.
    expect(log.some((e) => e.actorName === "Hanne Helsesykepleier" && e.action === "denied:case.read")).toBe(false);

    const csv = await teacher.queryOk<string>("audit.caseLogCsv", { caseId });
    expect(csv.split("\r\n")[0]).toBe("\uFEFFTid;Siste gang;Person;Enhet;Handling;Antall;Grunnlag;Formål");
    expect(csv).toContain(`;Hanne Helsesykepleier;Helsestasjonen;Åpnet saken;`);
    expect(csv).toContain(`;Helsestasjonen;Åpnet saken;1;"Samtykke, versjon 1";Samordning`);

    const [consent] = await teacher.queryOk<Consent[]>("consents.list", { caseId });
    expect(consent!.status).toBe("withdrawn");
    expect(consent!.history.map((h) => `${h.from}->${h.to}`)).toEqual(["null->draft", "draft->active", "active->withdrawn"]);
  });

  test("a new version supersedes the old when activated, with access following the new terms", async () => {
    const terms = consentTerms(subjectId, [units["Helsestasjonen"]!]);
    const { consentId: v1 } = await teacher.mutationOk<{ consentId: string }>("consents.create", { caseId, ...terms });
    await teacher.mutationOk("consents.activate", { consentId: v1 });
    expect((await nurse.query("cases.get", { caseId })).ok).toBe(true);
    // Version 2 moves the consent from the health station to NAV.
    const { consentId: v2 } = await teacher.mutationOk<{ consentId: string }>("consents.revise", {
      consentId: v1,
      ...consentTerms(subjectId, [units["NAV Fjellheim"]!]),
    });
    expect((await nurse.query("cases.get", { caseId })).ok).toBe(true);
    events.length = 0;
    await teacher.mutationOk("consents.activate", { consentId: v2 });
    expect((await nurse.query("cases.get", { caseId })).ok).toBe(false);
    expect((await nav.query("cases.get", { caseId })).ok).toBe(true);
    expect(events.map((e) => e.reason)).toEqual(["consent_superseded"]);
    const all = await teacher.queryOk<Consent[]>("consents.list", { caseId });
    expect(all.find((c) => c.id === v1)!.status).toBe("superseded");
    expect(all.find((c) => c.id === v2)).toMatchObject({ status: "active", version: 2 });
  });

  test("a period longer than the municipal maximum (12 months) is refused", async () => {
    const res = await teacher.mutation("consents.create", {
      caseId,
      ...consentTerms(subjectId, [units["PPT"]!], { periodEnd: new Date(Date.now() + 400 * 24 * 3600 * 1000) }),
    });
    expect(!res.ok && res.error.data.appCode).toBe("CONSENT_PERIOD_TOO_LONG");
  });
});

describe("expiry and reminders", () => {
  test("30 and 7 days before the end the coordinator is reminded once; at the end the consent expires and access goes", async () => {
    const { caseId, subjectId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Jonas Berg", 2012);
    const day = 24 * 3600 * 1000;
    const start = Date.now();
    const { consentId } = await teacher.mutationOk<{ consentId: string }>("consents.create", {
      caseId,
      ...consentTerms(subjectId, [units["PPT"]!, units["Helsestasjonen"]!], { periodEnd: new Date(start + 40 * day) }),
    });
    await teacher.mutationOk("consents.activate", { consentId });
    const ppt = await app.db.selectFrom("consents").select("status").where("id", "=", consentId).executeTakeFirstOrThrow();
    expect(ppt.status).toBe("active");

    const kinds = async () =>
      (await teacher.queryOk<{ kind: string; caseId: string | null }[]>("notifications.list")).filter((n) => n.caseId === caseId).map((n) => n.kind);
    await runConsentJobs(app.db, app.bus, new Date(start + 5 * day));
    expect(await kinds()).toEqual([]);
    await runConsentJobs(app.db, app.bus, new Date(start + 11 * day));
    await runConsentJobs(app.db, app.bus, new Date(start + 12 * day));
    expect(await kinds()).toEqual(["consent_expiring"]);
    await runConsentJobs(app.db, app.bus, new Date(start + 34 * day));
    expect(await kinds()).toEqual(["consent_expiring", "consent_expiring"]);

    events.length = 0;
    const result = await runConsentJobs(app.db, app.bus, new Date(start + 40 * day + 1000));
    expect(result.expired).toBe(1);
    // The nurse could see the case just before the end and cannot now: named on the event, told neutrally, once.
    const nurseId = (await nurse.queryOk<{ id: string }>("auth.me")).id;
    expect(events).toEqual([expect.objectContaining({ caseId, reason: "consent_expired", lostUserIds: [nurseId] })]);
    const nurseNotices = (await nurse.queryOk<{ kind: string; caseId: string | null }[]>("notifications.list")).filter((n) => n.caseId === caseId);
    expect(nurseNotices.map((n) => n.kind)).toEqual(["case_access_ended"]);
    const after = await app.db.selectFrom("consents").select("status").where("id", "=", consentId).executeTakeFirstOrThrow();
    expect(after.status).toBe("expired");
    expect((await kinds())[0]).toBe("consent_ended");
    // Notification texts carry no case content: only a kind and a link.
    const [n] = await app.db.selectFrom("notifications").selectAll().where("case_id", "=", caseId).execute();
    expect(Object.keys(n!).sort()).toEqual(["case_id", "conversation_id", "created_at", "dedupe_key", "id", "kind", "read_at", "user_id"]);
    expect(n!.conversation_id).toBeNull();
  });

  test("run after the end moment, the job still names who could see the case just before it, and tells them once", async () => {
    const { caseId, subjectId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Ida Berg", 2013);
    const periodEnd = new Date(Date.now() + 1_500);
    const { consentId } = await teacher.mutationOk<{ consentId: string }>("consents.create", {
      caseId,
      ...consentTerms(subjectId, [units["Helsestasjonen"]!], { periodEnd }),
    });
    await teacher.mutationOk("consents.activate", { consentId });
    // Waiting for a moment to pass, not for something not to happen.
    await new Promise((resolve) => setTimeout(resolve, periodEnd.getTime() - Date.now() + 10));
    events.length = 0;
    expect((await runConsentJobs(app.db, app.bus)).expired).toBe(1);
    const nurseId = (await nurse.queryOk<{ id: string }>("auth.me")).id;
    expect(events).toEqual([expect.objectContaining({ caseId, reason: "consent_expired", lostUserIds: [nurseId] })]);
    await runConsentJobs(app.db, app.bus);
    const nurseNotices = (await nurse.queryOk<{ kind: string; caseId: string | null }[]>("notifications.list")).filter((n) => n.caseId === caseId);
    expect(nurseNotices.map((n) => n.kind)).toEqual(["case_access_ended"]);
  });
});
