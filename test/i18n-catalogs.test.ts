import { describe, expect, test } from "vitest";
import { defaultDomains } from "@laget/plan";
import { formatDate, formatDateTime, formatDay, formatTime, osloDay } from "../client/src/i18n/format.ts";
import { lifeAreaName, statuteLabel } from "../client/src/i18n/labels.ts";
import { catalogs, compileMessage, translate } from "../client/src/i18n/messages.ts";
import { nb } from "../client/src/i18n/nb.ts";
import { languages, type Language, type MessageKey } from "../client/src/i18n/types.ts";
import { defaultStatutes } from "../server/src/disclosures/disclosures.ts";

// The catalogs are ICU MessageFormat (FormatJS), one file per capability and language,
// merged in client/src/i18n/nb.ts and en.ts. Bokmål is the source of truth for the keys.

function leaves(node: unknown, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (typeof value === "string") out.set(prefix + key, value);
    else for (const [k, v] of leaves(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

type Element = { type: number; value?: unknown; options?: Record<string, { value: Element[] }>; children?: Element[] };
// The parser's element types (@formatjs/icu-messageformat-parser TYPE): 1 argument … 6 plural, 8 tag.
const ARGUMENT_TYPES = new Set([1, 2, 3, 4, 5, 6]);
const PLURAL = 6;

/** The argument names a message uses, nested plural and select branches included. */
function argumentsOf(elements: Element[], found = new Set<string>()): Set<string> {
  for (const el of elements) {
    if (ARGUMENT_TYPES.has(el.type) && typeof el.value === "string") found.add(el.value);
    for (const option of Object.values(el.options ?? {})) argumentsOf(option.value, found);
    if (el.children) argumentsOf(el.children, found);
  }
  return found;
}
const isPlain = (elements: Element[]) => elements.every((el) => el.type === 0 || el.type === 1);
const hasPlural = (elements: Element[]): boolean => elements.some((el) => el.type === PLURAL || Object.values(el.options ?? {}).some((o) => hasPlural(o.value)));

const source = leaves(nb);
const texts = Object.fromEntries(languages.map((language) => [language, leaves(catalogs[language])])) as Record<Language, Map<string, string>>;
const ast = (language: Language, key: string) => compileMessage(texts[language].get(key)!, language).getAst() as Element[];

test("every key exists in every language, and no language has a key bokmål lacks", () => {
  for (const language of languages) {
    const keys = [...texts[language].keys()].sort();
    expect(keys, language).toEqual([...source.keys()].sort());
  }
});

test("every message parses as ICU MessageFormat in every language", () => {
  const broken: string[] = [];
  for (const language of languages) {
    for (const [key, text] of texts[language]) {
      try {
        compileMessage(text, language);
      } catch (error) {
        broken.push(`${language} ${key}: ${(error as Error).message}`);
      }
    }
  }
  expect(broken).toEqual([]);
});

test("a message takes the same parameters in every language", () => {
  const differing: string[] = [];
  for (const key of source.keys()) {
    const expected = [...argumentsOf(ast("nb", key))].sort().join(",");
    for (const language of languages) {
      const actual = [...argumentsOf(ast(language, key))].sort().join(",");
      if (actual !== expected) differing.push(`${language} ${key}: {${actual}} where nb has {${expected}}`);
    }
  }
  expect(differing).toEqual([]);
});

test("a message without plural or formatting renders as written, its {name} replaced (no ICU quoting swallows text)", () => {
  for (const language of languages) {
    for (const [key, text] of texts[language]) {
      const elements = ast(language, key);
      if (!isPlain(elements)) continue;
      const params = Object.fromEntries([...argumentsOf(elements)].map((name) => [name, `<${name}>`]));
      expect(translate(language, key as MessageKey, params), `${language} ${key}`).toBe(text.replace(/\{(\w+)\}/g, "<$1>"));
    }
  }
});

describe("plural rules", () => {
  const cases: [Language, MessageKey, number, string][] = [
    ["nb", "messaging.unread", 1, "1 ulest"],
    ["nb", "messaging.unread", 2, "2 uleste"],
    ["en", "messaging.unread", 1, "1 unread"],
    ["nb", "notifications.unreadSuffix", 1, "ulest"],
    ["nb", "notifications.unreadSuffix", 3, "uleste"],
    ["nb", "cases.count", 1, "1 sak"],
    ["nb", "cases.count", 0, "0 saker"],
    ["nb", "cases.count", 12, "12 saker"],
    ["en", "cases.count", 1, "1 case"],
    ["en", "cases.count", 2, "2 cases"],
    ["en", "plan.mine.count", 1, "1 measure"],
    ["en", "plan.mine.count", 4, "4 measures"],
    ["nb", "accessLog.count", 1, "1 hendelse"],
    ["nb", "accessLog.count", 2, "2 hendelser"],
    ["en", "messaging.suggestionsCount", 1, "1 suggestion. Use the up and down arrows, and Enter to choose."],
  ];
  test.each(cases)("%s %s with %i: %s", (language, key, count, expected) => {
    expect(translate(language, key, { count })).toBe(expected);
  });

  test("rows and events are counted each by its own rule", () => {
    expect(translate("nb", "accessLog.shown", { rows: 1, count: 3 })).toBe("Viser 1 rad (3 hendelser).");
    expect(translate("en", "accessLog.shown", { rows: 2, count: 1 })).toBe("Showing 2 rows (1 event).");
  });

  test("a count decides the words only through ICU plural, never through two keys", () => {
    const pluralKeys = [...source.keys()].filter((key) => hasPlural(ast("nb", key)));
    expect(pluralKeys).toEqual(expect.arrayContaining(["messaging.unread", "cases.count", "notifications.unreadSuffix", "accessLog.shown", "review.verifyOk"]));
    expect([...source.keys()].filter((key) => /One$/.test(key) && source.has(key.replace(/One$/, "")))).toEqual([]);
  });
});

test("a missing parameter leaves the message readable rather than throwing", () => {
  expect(translate("nb", "units.created", {})).toBe(nb.units.created);
  expect(translate("nb", "no.such.key" as MessageKey)).toBe("no.such.key");
});

describe("dates and times are Norwegian time in the UI language", () => {
  // 23:30 UTC on 31 December is already 1 January in Oslo (UTC+1 in winter).
  const newYear = new Date("2025-12-31T23:30:00Z");
  test("moments", () => {
    expect(formatDate(newYear, "nb")).toBe("1. januar 2026");
    expect(formatDate(newYear, "en")).toBe("1 January 2026");
    expect(formatTime(newYear, "nb")).toBe("00:30");
    expect(formatDateTime("2026-07-01T10:05:00Z", "nb")).toBe("1. juli 2026, 12:05");
    expect(osloDay(newYear)).toBe("2026-01-01");
  });
  test("a calendar day is the same day in every time zone", () => {
    expect(formatDay("2026-09-01", "nb")).toBe("1. september 2026");
    expect(formatDay("2026-09-01", "en")).toBe("1 September 2026");
  });
});

test("the English UI names life areas and legal bases in English, bokmål as the server seeds them", () => {
  for (const domain of defaultDomains) {
    const key = `plan.lifeAreas.${domain.id}` as MessageKey;
    expect(translate("nb", key), domain.id).toBe(domain.name);
    expect(translate("en", key), domain.id).not.toBe(domain.name);
  }
  for (const statute of defaultStatutes) {
    expect(translate("nb", `statute.${statute.key}.title` as MessageKey), statute.key).toBe(statute.title);
    expect(translate("nb", `statute.${statute.key}.reference` as MessageKey), statute.key).toBe(statute.reference);
    expect(translate("en", `statute.${statute.key}.title` as MessageKey), statute.key).not.toBe(statute.title);
  }
});

test("a life area or legal basis the municipality named itself is shown as it wrote it", () => {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate("en", key, params);
  expect(lifeAreaName(t, { id: "bolig", name: "Bolig" })).toBe("Housing");
  expect(lifeAreaName(t, { id: "bolig", name: "Bustad og nærmiljø" })).toBe("Bustad og nærmiljø");
  expect(lifeAreaName(t, { id: "own-area", name: "Eget område" })).toBe("Eget område");
  expect(statuteLabel(t, defaultStatutes[1])).toBe("Averting danger to life and health (Health Personnel Act § 31 / Penal Code § 196)");
  expect(statuteLabel(t, { key: "local-1", title: "Lokal forskrift", reference: "§ 3" })).toBe("Lokal forskrift (§ 3)");
});
