import { describe, expect, test } from "vitest";
import { translate } from "../client/src/i18n/messages.ts";
import type { MessageKey, Params } from "../client/src/i18n/types.ts";
import { referralProvision, referralProvisions, referralUnitsOf } from "../client/src/referrals/consent.ts";
import { statusKey } from "../client/src/referrals/queries.ts";
import { reasonText } from "../client/src/referrals/reasons.ts";

// The referral UI's pure parts: what the consent form sends for a volunteer unit, the status words, and which reasons each side reads.

const t = (key: MessageKey, params?: Params) => translate("nb", key, params);

describe("the consent form's referral section", () => {
  test("a volunteer unit gets exactly a referral provision: identity, purpose referral, read only", () => {
    expect(referralProvision("u1")).toEqual({ unitId: "u1", actions: ["access"], purposes: ["referral"], categories: ["identity"], denies: [] });
  });

  test("only the ticked volunteer units, in the listed order", () => {
    const units = [{ id: "a" }, { id: "b" }, { id: "c" }];
    expect(referralProvisions(units, ["c", "a"]).map((p) => p.unitId)).toEqual(["a", "c"]);
    expect(referralProvisions(units, [])).toEqual([]);
  });

  test("a new version starts from the volunteer units the old one named, and nothing else", () => {
    expect(referralUnitsOf([{ unitId: "school" }, { unitId: "club" }, { unitId: "club" }], new Set(["club", "red-cross"]))).toEqual(["club"]);
  });
});

describe("status and reasons", () => {
  test("the chips speak Norwegian; a cancelled referral reads Trukket", () => {
    const words = (["sent", "received", "accepted", "declined", "on_hold", "in_progress", "completed", "failed", "cancelled"] as const).map((s) => t(statusKey(s)));
    expect(words).toEqual(["Sendt", "Mottatt", "Akseptert", "Avslått", "Venteliste", "Pågår", "Fullført", "Ikke gjennomført", "Trukket"]);
  });

  test("why Laget cancelled is for the referring side only: a recipient never reads of a case or a consent", () => {
    expect(reasonText(t, "cancelled", "case_closed", true)).toBe("Saken ble avsluttet");
    expect(reasonText(t, "cancelled", "case_closed", false)).toBeNull();
    expect(reasonText(t, "cancelled", "consent_withdrawn", false)).toBeNull();
    expect(reasonText(t, "declined", "no_capacity", false)).toBe("Ikke plass nå");
    expect(reasonText(t, "failed", "could_not_reach", true)).toBe("Fikk ikke kontakt");
  });
});
