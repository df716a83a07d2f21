import { describe, expect, it } from "vitest";
import { auditActionKind, foldReads } from "./access-log.ts";

const at = (min: number) => new Date(Date.UTC(2026, 0, 1, 10, min));
const e = (min: number, action: string, actorName = "Hanne") => ({ at: at(min), actorName, unitName: "Helsestasjonen", action, basis: { kind: "own_unit" }, purpose: "coordination" });

describe("the access log for a family", () => {
  it("tells reads, changes and refusals apart", () => {
    expect(auditActionKind("note.read")).toBe("read");
    expect(auditActionKind("note.create")).toBe("change");
    expect(auditActionKind("denied:case.read")).toBe("denied");
  });

  it("folds consecutive identical reads into one row with a count, and nothing else", () => {
    const rows = foldReads([e(9, "case.read"), e(8, "case.read"), e(7, "case.read"), e(6, "note.create"), e(5, "note.create"), e(4, "case.read"), e(3, "case.read", "Nils")]);
    expect(rows.map((r) => [r.action, r.actorName, r.count])).toEqual([
      ["case.read", "Hanne", 3],
      ["note.create", "Hanne", 1],
      ["note.create", "Hanne", 1],
      ["case.read", "Hanne", 1],
      ["case.read", "Nils", 1],
    ]);
    expect(rows[0]!.at).toEqual(at(9));
    expect(rows[0]!.firstAt).toEqual(at(7));
  });
});
