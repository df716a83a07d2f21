import type { ReferralSummary, ReferralView } from "@laget/domain";
import { afterAll, beforeAll, expect, test } from "vitest";
import { loadActor } from "../auth/actor.ts";
import { runConsentJobs } from "../consent/expiry.ts";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { connectLive, type LiveClient } from "../testing/live-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { replayReferralEvents } from "./events.ts";
import { IDRETTSLAG, KOORDINATOR, referralCase, referralConsentTerms, sendReferral } from "./testing.ts";

// When a referral's basis ends, Laget cancels it inside the call that ended it: the
// recipient's copy of the child's data is gone, and the referrer sees it live.

let server: TestServer;
let kari: HttpClient;
let ivar: HttpClient;
let kariLive: LiveClient;
let ivarLive: LiveClient;

beforeAll(async () => {
  server = await startTestServer();
  kari = await signedIn(server.url, KOORDINATOR, DEMO_PASSWORD);
  ivar = await signedIn(server.url, IDRETTSLAG, DEMO_PASSWORD);
  kariLive = await connectLive(server.url, kari.cookie!);
  ivarLive = await connectLive(server.url, ivar.cookie!);
});
afterAll(async () => {
  kariLive?.close();
  ivarLive?.close();
  await server?.stop();
});

const changes = (live: LiveClient, referralId: string) => live.applied.filter((e) => e.type === "referral.changed" && e.resourceId === referralId);

test("withdrawing the consent cancels the open referral before the call returns; the recipient no longer reads the name; the referrer sees it live", async () => {
  const c = await referralCase(kari, "Mira Trekkes");
  const referralId = await sendReferral(kari, c, "Mira");
  // Ivar claims it: Kari hears of that live (the sentinel that her stream is following the referral).
  await ivar.mutationOk("referrals.move", { referralId, move: { to: "received" } });
  await kariLive.until(() => changes(kariLive, referralId).some((e) => e.data?.status === "received"));
  expect((await ivar.queryOk<ReferralView>("referrals.get", { referralId })).data?.firstName).toBe("Mira");

  await kari.mutationOk("consents.withdraw", { consentId: c.consentId, reason: "Familien trakk samtykket" });

  // Right after the call: cancelled by Laget, the data gone.
  const row = await server.db.selectFrom("referrals").selectAll().where("id", "=", referralId).executeTakeFirstOrThrow();
  expect(row).toMatchObject({ status: "cancelled", fhir_status: "cancelled", status_reason: "consent_withdrawn", data: null });
  expect(row.redacted_at).not.toBeNull();
  const last = await server.db.selectFrom("referral_events").selectAll().where("referral_id", "=", referralId).orderBy("at", "desc").executeTakeFirstOrThrow();
  expect(last).toMatchObject({ from_status: "received", to_status: "cancelled", actor_user_id: null, reason: "consent_withdrawn" });

  const seen = await ivar.queryOk<ReferralView>("referrals.get", { referralId });
  // Withdrawn, and nothing more: Laget's reason would tell the organisation that a consent existed.
  expect(seen).toMatchObject({ status: "cancelled", data: null, withdrawn: true, statusReason: null });
  expect(seen.history.at(-1)).toMatchObject({ to: "cancelled", reason: null });
  expect(JSON.stringify(seen)).not.toContain("Mira");
  expect(JSON.stringify(seen)).not.toContain("consent");
  const inbox = await ivar.queryOk<ReferralSummary[]>("referrals.list", { box: "inbox" });
  expect(inbox.find((r) => r.id === referralId)).toMatchObject({ firstName: null, withdrawn: true });
  expect(JSON.stringify(inbox)).not.toContain("Mira");

  await kariLive.until(() => changes(kariLive, referralId).some((e) => e.data?.status === "cancelled"));
  await ivarLive.until(() => changes(ivarLive, referralId).some((e) => e.data?.status === "cancelled"));
  const notes = await ivar.queryOk<{ kind: string; caseId: string | null }[]>("notifications.list");
  expect(notes.find((n) => n.kind === "referral_withdrawn")).toMatchObject({ caseId: null });
});

test("closing the case cancels its open referrals, drafts too, with reason case_closed", async () => {
  const c = await referralCase(kari, "Jonas Lukkes");
  const sent = await sendReferral(kari, c, "Jonas");
  const draft = await sendReferral(kari, c, "Jonas", { send: false, recipient: "Røde Kors Fjellheim" });
  await kari.mutationOk("cases.close", { caseId: c.caseId, reason: "Ferdig" });
  const rows = await server.db.selectFrom("referrals").select(["id", "status", "status_reason", "data"]).where("case_id", "=", c.caseId).orderBy("created_at").execute();
  expect(rows).toEqual([
    { id: sent, status: "cancelled", status_reason: "case_closed", data: null },
    { id: draft, status: "cancelled", status_reason: "case_closed", data: null },
  ]);
  await kariLive.until(() => changes(kariLive, sent).some((e) => e.data?.status === "cancelled"));
  // The referrer reads why; the organisation only that it was withdrawn, not that a case was closed.
  expect(await kari.queryOk<ReferralView>("referrals.get", { referralId: sent })).toMatchObject({ statusReason: "case_closed" });
  const seen = await ivar.queryOk<ReferralView>("referrals.get", { referralId: sent });
  expect(seen).toMatchObject({ status: "cancelled", withdrawn: true, statusReason: null });
  expect(JSON.stringify(seen)).not.toContain("case_closed");
});

test("a new consent version that still covers the recipient carries the referral over; one that does not cancels it", async () => {
  const c = await referralCase(kari, "Vera Versjon");
  const toIdrettslag = await sendReferral(kari, c, "Vera");
  const toRodeKors = await sendReferral(kari, c, "Vera", { recipient: "Røde Kors Fjellheim" });
  // Version 2 names only the idrettslag.
  const { consentId } = await kari.mutationOk<{ consentId: string }>("consents.revise", { consentId: c.consentId, ...referralConsentTerms(c.subjectId, [c.units["Fjellheim idrettslag"]!]) });
  await kari.mutationOk("consents.activate", { consentId });
  const rows = await server.db.selectFrom("referrals").select(["id", "status", "status_reason", "consent_id", "consent_version"]).where("case_id", "=", c.caseId).execute();
  expect(rows.find((r) => r.id === toIdrettslag)).toMatchObject({ status: "sent", consent_id: consentId, consent_version: 2 });
  expect(rows.find((r) => r.id === toRodeKors)).toMatchObject({ status: "cancelled", status_reason: "consent_withdrawn", consent_version: 1 });
  const moved = await server.db.selectFrom("audit_events").select(["action", "actor_user_id"]).where("resource_id", "=", toIdrettslag).where("action", "=", "referral.consent_moved").execute();
  expect(moved).toEqual([{ action: "referral.consent_moved", actor_user_id: null }]);
});

test("a consent's expiry cancels its referrals with reason consent_expired", async () => {
  const c = await referralCase(kari, "Eli Utløper");
  const referralId = await sendReferral(kari, c, "Eli");
  const end = await server.db.selectFrom("consents").select("period_end").where("id", "=", c.consentId).executeTakeFirstOrThrow();
  await runConsentJobs(server.db, server.bus, new Date(end.period_end.getTime() + 1000));
  const row = await server.db.selectFrom("referrals").select(["status", "status_reason", "data"]).where("id", "=", referralId).executeTakeFirstOrThrow();
  expect(row).toEqual({ status: "cancelled", status_reason: "consent_expired", data: null });
});

test("a draft cancelled before it was ever sent (by the referrer, or by Laget as its consent ends) reaches the recipient unit nowhere: not by id, list, live, replay or notification", async () => {
  const ivarId = (await server.db.selectFrom("users").select("id").where("email", "=", IDRETTSLAG).executeTakeFirstOrThrow()).id;
  const withdrawnBefore = (await ivar.queryOk<{ kind: string }[]>("notifications.list")).filter((n) => n.kind === "referral_withdrawn").length;
  const replayFrom = ivarLive.lastEventId();
  const c = await referralCase(kari, "Siri Usendt");
  const byReferrer = await sendReferral(kari, c, "Siri", { send: false });
  await kari.mutationOk("referrals.move", { referralId: byReferrer, move: { to: "cancelled", reasonText: "" } });
  const ended = await referralCase(kari, "Sander Usendt");
  const byLaget = await sendReferral(kari, ended, "Sander", { send: false });
  await kari.mutationOk("consents.withdraw", { consentId: ended.consentId, reason: "Familien trakk samtykket" });
  const drafts = [byReferrer, byLaget];
  expect(await server.db.selectFrom("referrals").select("status").where("id", "in", drafts).execute()).toEqual([{ status: "cancelled" }, { status: "cancelled" }]);
  // The sentinel: a referral sent to the same unit afterwards reaches Ivar live, so his stream is past both cancels.
  const sentinel = await sendReferral(kari, c, "Siri");
  await ivarLive.until(() => changes(ivarLive, sentinel).length > 0);
  const inbox = (await ivar.queryOk<ReferralSummary[]>("referrals.list", { box: "inbox" })).map((r) => r.id);
  expect(inbox).toContain(sentinel);
  for (const referralId of drafts) {
    expect(changes(ivarLive, referralId), "live").toEqual([]);
    const got = await ivar.query("referrals.get", { referralId });
    expect(got.ok ? "read" : got.error.data.appCode, "by id").toBe("NOT_FOUND");
    expect(inbox, "inbox").not.toContain(referralId);
  }
  expect((await ivar.queryOk<{ kind: string }[]>("notifications.list")).filter((n) => n.kind === "referral_withdrawn").length, "no withdrawal notice").toBe(withdrawnBefore);
  // Replayed from before the drafts (the sentinel again marks the end), and judged directly as if an event about them were stored.
  const replay = await connectLive(server.url, ivar.cookie!, { lastEventId: replayFrom });
  try {
    await replay.until(() => changes(replay, sentinel).length > 0);
    for (const referralId of drafts) expect(changes(replay, referralId), "replay").toEqual([]);
  } finally {
    replay.close();
  }
  const stored = drafts.map((referralId, i) => ({ eventId: i + 1, type: "referral.changed", resourceType: "referral", resourceId: referralId, messageId: null, data: { status: "cancelled" } }));
  const shown = await replayReferralEvents({ db: server.db, actor: (await loadActor(server.db, ivarId))!, events: stored });
  expect([...shown.keys()], "the replay judge").toEqual([]);
});
