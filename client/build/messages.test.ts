import { expect, test } from "vitest";
import { catalogs } from "../src/i18n/messages.ts";
import { isPlainText, lookup, translateIn } from "../src/i18n/icu.ts";
import { languages, type Catalog, type MessageKey } from "../src/i18n/types.ts";
import { precompileCatalog } from "./messages.ts";

function leaves(node: unknown, prefix = ""): string[] {
  return Object.entries(node as Record<string, unknown>).flatMap(([key, value]) =>
    typeof value === "string" ? [prefix + key] : leaves(value, `${prefix}${key}.`),
  );
}

// Any argument a message asks for: a number, so plurals, numbers and dates format too.
const anything = (count: number) => new Proxy({}, { get: () => count, has: () => true, ownKeys: () => [], getOwnPropertyDescriptor: () => undefined });

test("every message formats the same precompiled as from its text, in every language", () => {
  for (const language of languages) {
    const source = catalogs[language];
    const compiled = precompileCatalog(source, language) as Catalog;
    for (const key of leaves(source) as MessageKey[]) {
      for (const count of [0, 1, 2, 5]) {
        const params = anything(count) as unknown as Record<string, number>;
        expect(translateIn(compiled, language, key, params), `${language} ${key}`).toBe(translateIn(source, language, key, params));
      }
      // The text as written where something needs it (a seeded name compared with the catalog's).
      if (isPlainText(lookup(source, key)!)) expect(lookup(compiled, key)).toBe(lookup(source, key));
    }
  }
  const compiledNb = precompileCatalog(catalogs.nb, "nb") as Catalog;
  expect(translateIn(compiledNb, "nb", "userMenu.signedInAs", anything(2) as unknown as Record<string, number>)).toBe("Innlogget som 2");
});

test("plain texts stay texts, ICU messages become their parsed form, broken ones fail the build", () => {
  const compiled = precompileCatalog({ a: { plain: "Laster …", arg: "Hei {name}", quote: "Laget's" } }, "en") as Record<string, Record<string, unknown>>;
  expect(compiled.a!.plain).toBe("Laster …");
  expect(compiled.a!.arg).toEqual([{ type: 0, value: "Hei " }, { type: 1, value: "name" }]);
  expect(compiled.a!.quote).toEqual([{ type: 0, value: "Laget's" }]);
  expect(() => precompileCatalog({ a: { broken: "Hei {name" } }, "nb")).toThrow(/nb a\.broken: not ICU MessageFormat/);
  expect(() => precompileCatalog({ a: 1 }, "nb")).toThrow(/nb a: a catalog holds texts/);
});

test("a text without braces or apostrophes is itself in ICU, so it needs no parsing", () => {
  expect(isPlainText("Viser 3 rader # < > & «»")).toBe(true);
  for (const text of ["{n}", "a } b", "it's"]) expect(isPlainText(text), text).toBe(false);
});
