import { expect, test } from "vitest";

test("the suite runs on Node 24 or newer (the root node@24 dev dependency)", () => {
  const major = Number(process.versions.node.split(".")[0]);
  expect(major).toBeGreaterThanOrEqual(24);
});
