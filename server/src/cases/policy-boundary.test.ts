import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensureParticipant } from "./case-changes.ts";
import { consentTerms, createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import type { TrpcClient } from "../testing/http-client.ts";
import { startTestApp, type TestApp } from "../testing/test-app.ts";

// Where information crosses a unit's border in a case: the consent circle (DESIGN.md §4.3),
// a disclosure reaching only its discloser's data, note history decided per version, and
// volunteer units that never get a case.

let app: TestApp;
let teacher: TrpcClient;
let nurse: TrpcClient;
let nav: TrpcClient;
let barnevern: TrpcClient;
let volunteer: TrpcClient;
let units: Record<string, string>;

beforeAll(async () => {
  app = await startTestApp();
  const as = (user: string) => app.signedIn(`${user}@demo.laget.no`);
  [teacher, nurse, nav, barnevern, volunteer] = await Promise.all([as("koordinator"), as("helsesykepleier"), as("nav"), as("barnevern"), as("frivillig")]);
  units = await unitIdsByName(teacher);
});
afterAll(() => app?.stop());

type Notes = { notes: { id: string; category: string; body: string; unitName: string; edited: boolean }[]; readableFromOthers: string[] };
type Version = { version: number; category: string; body: string };

function provision(unit: string, categories: string[], purposes = ["coordination"]) {
  return { unitId: units[unit]!, actions: ["access"], purposes, categories, denies: [] };
}

/** A school case (Kari coordinates) with an active consent of the given provisions. */
async function caseWithConsent(child: string, provisions: ReturnType<typeof provision>[]) {
  const { caseId, subjectId } = await createChildCase(teacher, units["Fjellheim skole"]!, child);
  const { consentId } = await teacher.mutationOk<{ consentId: string }>("consents.create", { caseId, ...consentTerms(subjectId, [], { provisions }) });
  await teacher.mutationOk("consents.activate", { consentId });
  return { caseId, subjectId, consentId };
}

const bodies = (n: Notes) => n.notes.map((x) => `${x.unitName}:${x.category}:${x.body}`).sort();

describe("the consent circle: the coordinator sees what the services contribute in what the family shares", () => {
  test("Helsestasjonen's health note reaches the coordinator when a provision names health; its housing note stays with it", async () => {
    const { caseId } = await caseWithConsent("Sofie Sirkel", [
      provision("Helsestasjonen", ["identity", "plan", "conversation", "health"]),
      provision("NAV Fjellheim", ["identity", "school"]),
    ]);
    await nurse.mutationOk("cases.addNote", { caseId, category: "health", kind: "observation", body: "Sofie sover dårlig." });
    await nurse.mutationOk("cases.addNote", { caseId, category: "housing", kind: "observation", body: "Familien bor trangt." });
    await teacher.mutationOk("cases.addNote", { caseId, category: "school", kind: "observation", body: "Sofie er trøtt i timene." });

    const coordinator = await teacher.queryOk<Notes>("cases.notes", { caseId });
    expect(bodies(coordinator)).toEqual(["Fjellheim skole:school:Sofie er trøtt i timene.", "Helsestasjonen:health:Sofie sover dårlig."]);
    // What the Notater tab states: every category a provision names, and nothing else.
    expect(coordinator.readableFromOthers).toEqual(["identity", "plan", "conversation", "school", "health"]);
    // The case page's overview states the same.
    expect((await teacher.queryOk<{ readableFromOthers: string[] }>("cases.get", { caseId })).readableFromOthers).toEqual(coordinator.readableFromOthers);

    // NAV gets its own provision only: the school's school note, not the nurse's health note.
    const navNotes = await nav.queryOk<Notes>("cases.notes", { caseId });
    expect(bodies(navNotes)).toEqual(["Fjellheim skole:school:Sofie er trøtt i timene."]);
    expect(navNotes.readableFromOthers).toEqual(["identity", "school"]);
    // The nurse sees her own notes in every category, and the school's note only where her provision reaches.
    expect(bodies(await nurse.queryOk<Notes>("cases.notes", { caseId }))).toEqual([
      "Helsestasjonen:health:Sofie sover dårlig.",
      "Helsestasjonen:housing:Familien bor trangt.",
    ]);
  });
});

test("a disclosure by the school reaches the school's health note, never Helsestasjonen's", async () => {
  const { caseId } = await caseWithConsent("Dina Deling", [provision("Helsestasjonen", ["identity", "health"])]);
  await nurse.mutationOk("cases.addNote", { caseId, category: "health", kind: "observation", body: "Helsestasjonens egen vurdering." });
  await teacher.mutationOk("cases.addNote", { caseId, category: "health", kind: "observation", body: "Skolen ser blåmerker." });
  const statutes = await teacher.queryOk<{ id: string; key: string }[]>("disclosures.statutes");
  await teacher.mutationOk("disclosures.create", {
    caseId,
    statuteId: statutes.find((s) => s.key === "bvl-13-1")!.id,
    recipientUnitId: units["Barneverntjenesten"],
    categories: ["identity", "health"],
    justification: "Opplysningsplikten gjelder.",
  });
  const seen = await barnevern.queryOk<Notes>("cases.notes", { caseId });
  expect(bodies(seen)).toEqual(["Fjellheim skole:health:Skolen ser blåmerker."]);
});

test("note history: each version is decided for its own category; hidden versions leave no gap", async () => {
  const { caseId } = await caseWithConsent("Henrik Historikk", [
    provision("Helsestasjonen", ["identity", "health", "school"]),
    provision("NAV Fjellheim", ["identity", "school"]),
  ]);
  const { noteId } = await nurse.mutationOk<{ noteId: string }>("cases.addNote", { caseId, category: "health", kind: "observation", body: "Henrik har astma." });
  await nurse.mutationOk("cases.editNote", { noteId, category: "school", body: "Henrik trenger pauser i gymtimen." });
  await nurse.mutationOk("cases.editNote", { noteId, category: "school", body: "Henrik trenger pauser i gymtimen og friminuttet." });

  // NAV reads the note now that it is a school note, but never its health text.
  const navNotes = await nav.queryOk<Notes>("cases.notes", { caseId });
  expect(navNotes.notes.map((n) => n.id)).toEqual([noteId]);
  const navHistory = await nav.queryOk<Version[]>("cases.noteHistory", { noteId });
  expect(navHistory).toEqual([expect.objectContaining({ version: 1, category: "school", body: "Henrik trenger pauser i gymtimen." })]);
  expect(JSON.stringify(navHistory)).not.toContain("astma");

  // The author's unit sees every version, numbered as stored; so does the coordinator, since health is shared.
  const expected = [
    expect.objectContaining({ version: 2, category: "school", body: "Henrik trenger pauser i gymtimen." }),
    expect.objectContaining({ version: 1, category: "health", body: "Henrik har astma." }),
  ];
  expect(await nurse.queryOk<Version[]>("cases.noteHistory", { noteId })).toEqual(expected);
  expect(await teacher.queryOk<Version[]>("cases.noteHistory", { noteId })).toEqual(expected);
});

describe("a volunteer organisation never gets a case", () => {
  test("a consent names a volunteer unit only for purpose referral, and that does not open the case", async () => {
    const { caseId, subjectId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Vilde Frivillig");
    for (const purposes of [["coordination"], ["coordination", "referral"], ["meeting"], []]) {
      const refused = await teacher.mutation("consents.create", {
        caseId,
        ...consentTerms(subjectId, [], { provisions: [provision("Røde Kors Fjellheim", ["identity", "plan"], purposes)] }),
      });
      expect(!refused.ok && refused.error.data.appCode).toBe(purposes.length ? "VOLUNTEER_REFERRAL_ONLY" : "VALIDATION");
    }
    const terms = consentTerms(subjectId, [], {
      provisions: [provision("Helsestasjonen", ["identity", "plan"]), provision("Røde Kors Fjellheim", ["identity"], ["referral"])],
    });
    const { consentId } = await teacher.mutationOk<{ consentId: string }>("consents.create", { caseId, ...terms });
    await teacher.mutationOk("consents.activate", { consentId });

    const kase = await teacher.queryOk<{ participants: { unitName: string }[] }>("cases.get", { caseId });
    expect(kase.participants.map((p) => p.unitName)).toEqual(["Fjellheim skole", "Helsestasjonen"]);
    expect(await volunteer.queryOk<unknown[]>("cases.list", {})).toEqual([]);
    const opened = await volunteer.query("cases.get", { caseId });
    expect(!opened.ok && opened.error.data.appCode).toBe("NOT_FOUND");
  });

  test("records that name a volunteer unit give it nothing: activation refuses, and decide() refuses volunteer units", async () => {
    const { caseId, subjectId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Vegard Vern");
    const db = app.testDb.db;
    const kari = await db.selectFrom("users").select("id").where("email", "=", "koordinator@demo.laget.no").executeTakeFirstOrThrow();
    // A draft recorded before the rule (written straight to the database): activation refuses it.
    const { consentId } = await teacher.mutationOk<{ consentId: string }>("consents.create", { caseId, ...consentTerms(subjectId, [units["Helsestasjonen"]!]) });
    await db
      .updateTable("consents")
      .set({ provisions: JSON.stringify([provision("Røde Kors Fjellheim", ["identity", "plan"])]) })
      .where("id", "=", consentId)
      .execute();
    const activated = await teacher.mutation("consents.activate", { consentId });
    expect(!activated.ok && activated.error.data.appCode).toBe("VOLUNTEER_REFERRAL_ONLY");
    // A participant row and a disclosure to the volunteer unit, as old data might hold:
    // for any other unit these would open the case.
    await db.insertInto("case_participants").values({ case_id: caseId, unit_id: units["Røde Kors Fjellheim"]!, user_id: null, added_by: kari.id }).execute();
    const statute = await db.selectFrom("legal_statutes").select("id").where("key", "=", "bvl-13-1").executeTakeFirstOrThrow();
    await db
      .insertInto("disclosures")
      .values({
        case_id: caseId,
        statute_id: statute.id,
        discloser_user_id: kari.id,
        discloser_unit_id: units["Fjellheim skole"]!,
        recipient_unit_id: units["Røde Kors Fjellheim"]!,
        categories: JSON.stringify(["identity", "plan"]),
        purposes: JSON.stringify(["coordination"]),
        justification: "Gammel rad.",
      })
      .execute();
    expect(await volunteer.queryOk<unknown[]>("cases.list", {})).toEqual([]);
    const opened = await volunteer.query("cases.get", { caseId });
    expect(!opened.ok && opened.error.data.appCode).toBe("NOT_FOUND");
  });

  test("no path adds a volunteer unit as a participant", async () => {
    const { caseId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Vera Vakt");
    const kari = await app.testDb.db.selectFrom("users").select("id").where("email", "=", "koordinator@demo.laget.no").executeTakeFirstOrThrow();
    await expect(ensureParticipant({ db: app.testDb.db, caseId, unitId: units["Fjellheim idrettslag"]!, userId: null, addedBy: kari.id })).rejects.toMatchObject({
      code: "VOLUNTEER_NOT_PARTICIPANT",
    });
  });

  test("neither a participant nor a handover can give a volunteer contact the case", async () => {
    const { caseId } = await createChildCase(teacher, units["Fjellheim skole"]!, "Viktor Verken");
    const asUnit = await teacher.mutation("cases.addParticipant", { caseId, unitId: units["Røde Kors Fjellheim"] });
    expect(!asUnit.ok && asUnit.error.data.appCode).toBe("VOLUNTEER_NOT_PARTICIPANT");
    const people = await teacher.queryOk<{ id: string; displayName: string }[]>("users.directory");
    const frida = people.find((p) => p.displayName === "Frida Frivillig")!.id;
    const handover = await teacher.mutation("cases.proposeHandover", { caseId, toUserId: frida });
    expect(!handover.ok && handover.error.data.appCode).toBe("VOLUNTEER_NOT_PARTICIPANT");
    expect(await volunteer.queryOk<unknown[]>("cases.list", {})).toEqual([]);
  });
});
