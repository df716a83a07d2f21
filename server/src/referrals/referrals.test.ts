import { recipientReferralViewFields, type ReferralRecipient, type ReferralSummary, type ReferralView } from "@laget/domain";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { TrpcClient } from "../testing/http-client.ts";
import { startTestApp, type TestApp } from "../testing/test-app.ts";
import { IDRETTSLAG, KOORDINATOR, referralCase, referralConsentTerms, referralData, RODE_KORS, sendReferral } from "./testing.ts";

// Making and sending a referral: under a covering consent only, holding that consent's
// id and version; what the recipient sees of it, field by field.

let app: TestApp;
let kari: TrpcClient;
let ivar: TrpcClient;
let frida: TrpcClient;

beforeAll(async () => {
  app = await startTestApp();
  kari = await app.signedIn(KOORDINATOR);
  ivar = await app.signedIn(IDRETTSLAG);
  frida = await app.signedIn(RODE_KORS);
});
afterAll(() => app?.stop());

const appCode = (r: { ok: boolean; error?: { data: { appCode?: string | null } } }) => (r.ok ? "ok" : r.error!.data.appCode);

test("sending stores the consent that covers the recipient, its version and the answer's due date; the recipient is told", async () => {
  const c = await referralCase(kari, "Sara Sendes");
  const referralId = await sendReferral(kari, c, "Sara");
  const row = await app.db.selectFrom("referrals").selectAll().where("id", "=", referralId).executeTakeFirstOrThrow();
  expect(row).toMatchObject({ status: "sent", fhir_status: "requested", consent_id: c.consentId, consent_version: 1 });
  expect(row.sent_at).not.toBeNull();
  expect(row.response_due_at!.getTime()).toBeGreaterThan(row.sent_at!.getTime());
  const events = await app.db.selectFrom("referral_events").select(["from_status", "to_status", "fhir_status"]).where("referral_id", "=", referralId).orderBy("at").execute();
  expect(events).toEqual([
    { from_status: null, to_status: "draft", fhir_status: "draft" },
    { from_status: "draft", to_status: "sent", fhir_status: "requested" },
  ]);
  const kinds = await ivar.queryOk<{ kind: string; caseId: string | null }[]>("notifications.list");
  expect(kinds.filter((n) => n.kind === "referral_received")[0]).toMatchObject({ caseId: null });
  // The referrer sees the consent it rests on.
  const mine = await kari.queryOk<ReferralView>("referrals.get", { referralId });
  expect(mine.referrer).toMatchObject({ caseId: c.caseId, consentId: c.consentId, consentVersion: 1, referringUnit: { id: c.units["Fjellheim skole"] } });
});

test("without a consent covering the recipient, sending is refused with REFERRAL_CONSENT_MISSING and nothing is stored", async () => {
  const c = await referralCase(kari, "Nils Utensamtykke", { consent: false });
  const recipients = await kari.queryOk<ReferralRecipient[]>("referrals.recipients", { caseId: c.caseId });
  expect(recipients.find((r) => r.unitId === c.units["Fjellheim idrettslag"])!.consent).toBeNull();
  const before = await app.db.selectFrom("referrals").select("id").where("case_id", "=", c.caseId).execute();
  for (const send of [true, false]) {
    const res = await kari.mutation("referrals.create", {
      caseId: c.caseId,
      subjectId: c.subjectId,
      recipientUnitId: c.units["Fjellheim idrettslag"],
      offerId: c.footballOfferId,
      data: referralData("Nils"),
      supportScheme: null,
      send,
    });
    expect(appCode(res), `send: ${send}`).toBe("REFERRAL_CONSENT_MISSING");
  }
  expect(await app.db.selectFrom("referrals").select("id").where("case_id", "=", c.caseId).execute()).toEqual(before);

  // A consent naming Røde Kors only does not cover the idrettslag.
  const partial = await referralCase(kari, "Nils Rødekors", { consent: false });
  const onlyRodeKors = await kari.mutationOk<{ consentId: string }>("consents.create", {
    caseId: partial.caseId,
    ...referralConsentTerms(partial.subjectId, [partial.units["Røde Kors Fjellheim"]!]),
  });
  await kari.mutationOk("consents.activate", { consentId: onlyRodeKors.consentId });
  for (const send of [true, false]) {
    const uncovered = await kari.mutation("referrals.create", {
      caseId: partial.caseId,
      subjectId: partial.subjectId,
      recipientUnitId: partial.units["Fjellheim idrettslag"],
      data: referralData("Nils"),
      supportScheme: null,
      send,
    });
    expect(appCode(uncovered), `a consent for another unit, send: ${send}`).toBe("REFERRAL_CONSENT_MISSING");
  }
  expect(await app.db.selectFrom("referrals").select("id").where("case_id", "=", partial.caseId).execute()).toEqual([]);

  const covered = await referralCase(kari, "Nils Delvis");
  const res = await kari.mutation("referrals.create", {
    caseId: covered.caseId,
    subjectId: covered.subjectId,
    recipientUnitId: covered.units["NAV Fjellheim"],
    data: referralData("Nils"),
    supportScheme: null,
    send: true,
  });
  expect(appCode(res), "a unit that takes no referrals").toBe("REFERRAL_RECIPIENT_INVALID");
  const wrongOffer = await kari.mutation("referrals.create", {
    caseId: covered.caseId,
    subjectId: covered.subjectId,
    recipientUnitId: covered.units["Røde Kors Fjellheim"],
    offerId: covered.footballOfferId,
    data: referralData("Nils"),
    supportScheme: null,
    send: true,
  });
  expect(appCode(wrongOffer), "an offer of another unit").toBe("REFERRAL_RECIPIENT_INVALID");
});

test("a draft is sent later under the consent that covers it then; only the recipient unit sees it once sent", async () => {
  const c = await referralCase(kari, "Dina Utkast");
  const referralId = await sendReferral(kari, c, "Dina", { send: false });
  expect(appCode(await ivar.query("referrals.get", { referralId })), "a draft is the referrer's alone").toBe("NOT_FOUND");
  expect((await ivar.queryOk<ReferralSummary[]>("referrals.list", { box: "inbox" })).map((r) => r.id)).not.toContain(referralId);
  const sent = await kari.mutationOk<ReferralView>("referrals.move", { referralId, move: { to: "sent" } });
  expect(sent).toMatchObject({ status: "sent", fhirStatus: "requested" });
  const inbox = await ivar.queryOk<ReferralSummary[]>("referrals.list", { box: "inbox" });
  expect(inbox.find((r) => r.id === referralId)).toMatchObject({ firstName: "Dina", status: "sent", recipientUnitName: "Fjellheim idrettslag", withdrawn: false });
  expect(appCode(await frida.query("referrals.get", { referralId })), "another volunteer unit").toBe("NOT_FOUND");
  expect((await kari.queryOk<ReferralSummary[]>("referrals.list", { box: "sent" })).map((r) => r.id)).toContain(referralId);
});

test("a draft cancelled before it was sent never reaches the recipient, and keeps nothing of the child", async () => {
  const c = await referralCase(kari, "Tor Trukket");
  const referralId = await sendReferral(kari, c, "Tor", { send: false });
  await kari.mutationOk("referrals.move", { referralId, move: { to: "cancelled", reasonText: "" } });
  expect(appCode(await ivar.query("referrals.get", { referralId }))).toBe("NOT_FOUND");
  expect((await ivar.queryOk<ReferralSummary[]>("referrals.list", { box: "inbox" })).map((r) => r.id)).not.toContain(referralId);
  const row = await app.db.selectFrom("referrals").select(["data", "redacted_at", "status_reason"]).where("id", "=", referralId).executeTakeFirstOrThrow();
  expect(row).toMatchObject({ data: null, status_reason: "referrer" });
});

test("the recipient's view holds exactly the contract's fields: no case, no referring unit, no consent, no agency words", async () => {
  const c = await referralCase(kari, "Emma Feltvis");
  const referralId = await sendReferral(kari, c, "Emma");
  await ivar.mutationOk("referrals.move", { referralId, move: { to: "received" } });
  const view = await ivar.queryOk<ReferralView & Record<string, unknown>>("referrals.get", { referralId });
  expect(Object.keys(view)).toEqual([...recipientReferralViewFields]);
  expect(view.id).toBe(referralId);
  expect(view.status).toBe("received");
  expect(view.fhirStatus).toBe("received");
  expect(view.offer).toEqual({ id: c.footballOfferId, title: "Fotball for 8–12 år" });
  expect(view.recipientUnit).toEqual({ id: c.units["Fjellheim idrettslag"], name: "Fjellheim idrettslag" });
  expect(view.data).toEqual(referralData("Emma"));
  expect(Object.keys(view.data!)).toEqual(["firstName", "age", "contactPreference", "contactDetails", "need", "availability", "language", "interpreterNeeded"]);
  expect(view.withdrawn).toBe(false);
  expect(view.supportScheme).toBe("fritidskort");
  expect(view.referredBy).toEqual({ name: "Kari Koordinator" });
  expect(view.claimedBy).toMatchObject({ name: "Ivar Idrettslag" });
  expect(Object.keys(view.claimedBy!)).toEqual(["id", "name"]);
  expect(view.statusReason).toBeNull();
  expect(view.statusReasonText).toBeNull();
  expect(view.suggestedOffer).toBeNull();
  expect(view.resumeOn).toBeNull();
  expect(view.outcome).toBeNull();
  expect(view.sentAt).toBeInstanceOf(Date);
  expect(view.responseDueAt).toBeInstanceOf(Date);
  expect(view.createdAt).toBeInstanceOf(Date);
  expect(view.updatedAt).toBeInstanceOf(Date);
  // The recipient's history starts at sending (nothing of the draft), each entry with only its own fields.
  expect(view.history.map((h) => [h.to, h.fhirStatus, h.by, h.reason])).toEqual([
    ["sent", "requested", "Kari Koordinator", null],
    ["received", "received", "Ivar Idrettslag", null],
  ]);
  for (const h of view.history) expect(Object.keys(h)).toEqual(["to", "fhirStatus", "at", "by", "reason"]);
  expect(view.feedback).toBeNull();
  expect(view.abilities).toEqual({ moves: ["accepted", "declined", "on_hold"], recordFeedback: false });

  const text = JSON.stringify(view);
  expect(text).not.toContain(c.caseId);
  expect(text).not.toContain(c.subjectId);
  expect(text).not.toContain(c.consentId);
  expect(text).not.toContain(c.units["Fjellheim skole"]!);
  expect(text).not.toContain("Fjellheim skole");
  expect(text).not.toMatch(/bti|NAV|barnevern|lav inntekt|Feltvis/i);
  expect(text).not.toContain('"referrer"');

  // The recipient's lists hold as little.
  const row = (await ivar.queryOk<ReferralSummary[]>("referrals.list", { box: "inbox" })).find((r) => r.id === referralId)!;
  expect(Object.keys(row)).toEqual(["id", "status", "fhirStatus", "firstName", "offerTitle", "recipientUnitName", "sentAt", "updatedAt", "withdrawn"]);
  expect(JSON.stringify(row)).not.toContain(c.caseId);
});

test("the case's referrals for its referrer; a recipient who asks for the case gets NOT_FOUND", async () => {
  const c = await referralCase(kari, "Ola Listet");
  const referralId = await sendReferral(kari, c, "Ola");
  const forCase = await kari.queryOk<ReferralView[]>("referrals.forCase", { caseId: c.caseId });
  expect(forCase.map((r) => r.id)).toEqual([referralId]);
  expect(forCase[0]!.referrer).toMatchObject({ caseId: c.caseId });
  expect(appCode(await ivar.query("referrals.forCase", { caseId: c.caseId }))).toBe("NOT_FOUND");
  expect(appCode(await ivar.query("referrals.recipients", { caseId: c.caseId }))).toBe("NOT_FOUND");
  expect(appCode(await ivar.query("referrals.prefill", { caseId: c.caseId, subjectId: c.subjectId }))).toBe("NOT_FOUND");
  expect(await kari.queryOk("referrals.prefill", { caseId: c.caseId, subjectId: c.subjectId })).toEqual({ firstName: "Ola", age: expect.any(Number) });
});

test("every read and write of a referral is audited for the case's access log, with purpose referral", async () => {
  const c = await referralCase(kari, "Siri Logget");
  const referralId = await sendReferral(kari, c, "Siri");
  await ivar.queryOk("referrals.get", { referralId });
  await ivar.queryOk("referrals.list", { box: "inbox" });
  await ivar.mutationOk("referrals.move", { referralId, move: { to: "received" } });
  const rows = await app.db.selectFrom("audit_events").select(["action", "purpose", "case_id"]).where("resource_id", "=", referralId).orderBy("id").execute();
  expect(rows.map((r) => r.action)).toEqual(["referral.create", "referral.send", "referral.read", "referral.list", "referral.claim"]);
  expect(new Set(rows.map((r) => r.purpose))).toEqual(new Set(["referral"]));
  expect(new Set(rows.map((r) => r.case_id))).toEqual(new Set([c.caseId]));
});

test("an answer rings the referrer's bell with the case linked; the recipient's notifications never link a case", async () => {
  const c = await referralCase(kari, "Aron Svar");
  const referralId = await sendReferral(kari, c, "Aron");
  const before = (await kari.queryOk<{ kind: string }[]>("notifications.list")).filter((n) => n.kind === "referral_answered").length;
  await ivar.mutationOk("referrals.move", { referralId, move: { to: "received" } });
  await ivar.mutationOk("referrals.move", { referralId, move: { to: "accepted" } });
  const answered = (await kari.queryOk<{ kind: string; caseId: string | null }[]>("notifications.list")).filter((n) => n.kind === "referral_answered");
  expect(answered).toHaveLength(before + 1);
  expect(answered[0]).toMatchObject({ caseId: c.caseId });
  const ivars = await ivar.queryOk<{ kind: string; caseId: string | null }[]>("notifications.list");
  expect(ivars.filter((n) => n.kind.startsWith("referral_")).every((n) => n.caseId === null)).toBe(true);
  expect(ivars.some((n) => n.kind === "referral_answered")).toBe(false);
});
