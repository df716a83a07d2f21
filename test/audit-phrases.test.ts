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
