import { randomUUID } from "node:crypto";
import { expect, test } from "vitest";
import { createConsentInput, reviewDisclosureInput, subjectInput } from "./cases.ts";

// Input that cannot be right is refused at its field, with a path the form can show it at.

const pathsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.success ? [] : result.error!.issues.map((i) => i.path.join("."));

test("no one is born in the future: a birth year after this year, or a date after today, is refused at its field", () => {
  const thisYear = new Date().getUTCFullYear();
  expect(pathsOf(subjectInput.safeParse({ role: "child", name: "Emma", birthYear: thisYear }))).toEqual([]);
  expect(pathsOf(subjectInput.safeParse({ role: "child", name: "Emma", birthYear: thisYear + 1 }))).toEqual(["birthYear"]);
  const inTwoDays = new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  expect(pathsOf(subjectInput.safeParse({ role: "child", name: "Emma", birthDate: inTwoDays }))).toEqual(["birthDate"]);
  expect(pathsOf(subjectInput.safeParse({ role: "child", name: "Emma", birthDate: "2014-05-01" }))).toEqual([]);
});

test("a consent period that is already over is refused at its end", () => {
  const terms = {
    caseId: randomUUID(),
    subjectId: randomUUID(),
    grantors: [{ name: "Kari Hansen", relation: "parent" }],
    evidence: { form: "written", language: "nb", interpreter: false },
    informationTextVersion: "2026-1",
    provisions: [{ unitId: randomUUID(), actions: ["access"], purposes: ["coordination"], categories: ["identity"] }],
  };
  const day = 24 * 3600 * 1000;
  const past = { ...terms, periodStart: new Date(Date.now() - 30 * day), periodEnd: new Date(Date.now() - day) };
  expect(pathsOf(createConsentInput.safeParse(past))).toEqual(["periodEnd"]);
  const current = { ...terms, periodStart: new Date(Date.now() - 30 * day), periodEnd: new Date(Date.now() + day) };
  expect(pathsOf(createConsentInput.safeParse(current))).toEqual([]);
});

test("a leader's question must say what is asked; an approval needs no text", () => {
  const disclosureId = randomUUID();
  expect(pathsOf(reviewDisclosureInput.safeParse({ disclosureId, outcome: "questioned" }))).toEqual(["note"]);
  expect(pathsOf(reviewDisclosureInput.safeParse({ disclosureId, outcome: "questioned", note: "   " }))).toEqual(["note"]);
  expect(pathsOf(reviewDisclosureInput.safeParse({ disclosureId, outcome: "questioned", note: "Hvilken lovhjemmel?" }))).toEqual([]);
  expect(pathsOf(reviewDisclosureInput.safeParse({ disclosureId, outcome: "approved" }))).toEqual([]);
});
