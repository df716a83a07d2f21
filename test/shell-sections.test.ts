import { describe, expect, test } from "vitest";
import { referralBoxesFor, sectionsFor, seesReferralFigures, startPathFor, worksOnCases, type Membership } from "../client/src/shell/sections.ts";

// Which sections a person sees and where Laget opens for them, from their roles alone (client side, pure).

const m = (role: Membership["role"], unitKind: Membership["unitKind"] = "school"): Membership => ({ role, unitKind });
const volunteer = [m("volunteer_contact", "volunteer")];
const slt = [m("slt_coordinator", "other")];
const none = { hasMeetings: false };

describe("sections", () => {
  test("case work sees every section and starts on Saker", () => {
    for (const role of ["coordinator", "caseworker", "leader", "admin"] as const) {
      expect(sectionsFor([m(role)], none)).toEqual(["/saker", "/tiltak", "/meldinger", "/moter", "/henvisninger", "/tilbud"]);
      expect(startPathFor([m(role)])).toBe("/saker");
      expect(worksOnCases([m(role)])).toBe(true);
    }
  });

  test("a volunteer contact starts on their inbox and never sees Saker or Tiltak", () => {
    expect(startPathFor(volunteer)).toBe("/henvisninger");
    expect(sectionsFor(volunteer, none)).toEqual(["/meldinger", "/henvisninger", "/tilbud"]);
    expect(worksOnCases(volunteer)).toBe(false);
    // Møter only when they take part in a meeting.
    expect(sectionsFor(volunteer, { hasMeetings: true })).toEqual(["/meldinger", "/moter", "/henvisninger", "/tilbud"]);
    // A volunteer unit's member works as a volunteer, whatever the role says.
    expect(worksOnCases([m("coordinator", "volunteer")])).toBe(false);
  });

  test("an SLT coordinator starts on Møter, without Saker, Tiltak or Henvisninger", () => {
    expect(startPathFor(slt)).toBe("/moter");
    expect(sectionsFor(slt, none)).toEqual(["/meldinger", "/moter", "/tilbud"]);
    expect(worksOnCases(slt)).toBe(false);
  });

  test("several roles see what each of them sees", () => {
    const both = [...volunteer, m("caseworker")];
    expect(sectionsFor(both, none)).toContain("/saker");
    expect(startPathFor(both)).toBe("/saker");
    expect(referralBoxesFor(both)).toEqual(["inbox", "sent"]);
  });

  test("Henvisninger's boxes and the figures follow the roles", () => {
    expect(referralBoxesFor(volunteer)).toEqual(["inbox"]);
    expect(referralBoxesFor([m("coordinator")])).toEqual(["sent", "inbox"]);
    expect(referralBoxesFor(slt)).toEqual([]);
    expect(seesReferralFigures(volunteer)).toBe(true);
    expect(seesReferralFigures([m("leader")])).toBe(true);
    expect(seesReferralFigures([m("coordinator")])).toBe(false);
  });
});
