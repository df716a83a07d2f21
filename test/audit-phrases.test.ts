import { expect, test } from "vitest";
import { en } from "../client/src/i18n/en.ts";
import { nb } from "../client/src/i18n/nb.ts";
import { auditPhrasesNb } from "../server/src/audit/phrases.ts";

// The access log says the same in the CSV (server) and on screen (client catalog): every
// audited action has a plain phrase in both languages, and bokmål says it alike in both places.

test("every audited action has the same bokmål phrase on screen and in the CSV, and an English one", () => {
  for (const [action, phrase] of Object.entries(auditPhrasesNb)) {
    const key = action.replace(/\./g, "_") as keyof typeof nb.auditAction;
    expect(nb.auditAction[key], action).toBe(phrase);
    expect((en.auditAction as Record<string, string>)[key], action).toBeTruthy();
  }
});

test("every action the server audits on a case has a phrase", async () => {
  const { readdir, readFile } = await import("node:fs/promises");
  const { join } = await import("node:path");
  const root = join(import.meta.dirname, "../server/src");
  const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  const audited = new Set<string>();
  for (const file of files) {
    const source = await readFile(join(root, file), "utf8");
    // Every dotted action name written as a literal: auditAction fields, action fields, coordinator checks.
    for (const m of source.matchAll(/"((?:case|note|consent|plan|message|disclosure|audit|conversation|agenda|minutes|referral)\.[a-z_]+(?:\.[a-z_]+)*)"/g)) audited.add(m[1]!);
    // `${scope}.watch` in case-watch.ts: both scopes.
    if (source.includes("auditAction: `${scope}.watch`")) ["case.watch", "plan.watch"].forEach((a) => audited.add(a));
  }
  // Per-user event-log types share the dotted form but are not audited actions.
  // So does the audit key's file name.
  for (const notAnAction of ["conversation.added", "conversation.removed", "message.created", "message.edited", "message.deleted", "audit.key", "referral.changed"]) {
    audited.delete(notAnAction);
  }
  expect(audited.size).toBeGreaterThan(20);
  expect([...audited].filter((action) => !(action in auditPhrasesNb))).toEqual([]);
});
