import { expect, test } from "vitest";
import { accessLogCsv, csvCell } from "./access-log.ts";

test.each([
  ["=HYPERLINK(\"http://x\",\"klikk\")", `"'=HYPERLINK(""http://x"",""klikk"")"`],
  ["+47 999", "'+47 999"],
  ["-2+3", "'-2+3"],
  ["@SUM(A1)", "'@SUM(A1)"],
  ["\t=1", "'\t=1"],
  ["\r=1", `"'\r=1"`],
  ["Kari Koordinator", "Kari Koordinator"],
  ["a;b", `"a;b"`],
  ["a,b", `"a,b"`],
  ["line\nbreak", `"line\nbreak"`],
])("csvCell(%j) is %j: never read as a formula", (value, cell) => {
  expect(csvCell(value)).toBe(cell);
});

test("a person's or unit's name in the access log CSV cannot become a formula", () => {
  const csv = accessLogCsv([
    { id: 1, at: new Date("2026-03-01T10:00:00Z"), actorName: "=cmd|' /C calc'!A0", unitName: "@Skole", action: "case.read", resourceType: "case", basis: null, purpose: "coordination" },
  ]);
  const row = csv.split("\n")[1]!;
  expect(row).toContain("'=cmd|' /C calc'!A0");
  expect(row).toContain("'@Skole");
  for (const cell of row.split(",")) expect(cell).not.toMatch(/^"?[=+\-@]/);
});
