import { IntlMessageFormat } from "intl-messageformat";
import { localeFor, type Catalog, type Language, type MessageKey, type Params } from "./types.ts";

/**
 * Messages are ICU MessageFormat (FormatJS intl-messageformat): `{name}` arguments, and
 * `{count, plural, one {# ulest} other {# uleste}}` where a count decides the words, with
 * each language's own plural rules. Plain React-free functions over a catalog, shared by the
 * app (catalog.ts: the languages loaded so far) and the tests (messages.ts: every language).
 */

/** The raw message at a dotted key, or undefined when the catalog has none. */
export function lookup(catalog: Catalog | undefined, key: string): string | undefined {
  let node: unknown = catalog;
  for (const part of key.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === "string" ? node : undefined;
}

/** A compiled message. Tags are off: "<" in a text is a character, not markup. */
export function compileMessage(text: string, language: Language): IntlMessageFormat {
  return new IntlMessageFormat(text, localeFor[language], undefined, { ignoreTag: true });
}

const compiled = new Map<string, IntlMessageFormat | null>();

function compiledFor(language: Language, key: MessageKey, text: string): IntlMessageFormat | null {
  const cacheKey = `${language}:${key}`;
  let format = compiled.get(cacheKey);
  if (format === undefined) {
    try {
      format = compileMessage(text, language);
    } catch {
      format = null; // Not valid ICU (the catalog test forbids it): show the text as written.
    }
    compiled.set(cacheKey, format);
  }
  return format;
}

/** The message at key in the language's catalog with params put in; the key itself when the catalog lacks it. */
export function translateIn(catalog: Catalog | undefined, language: Language, key: MessageKey, params?: Params): string {
  const text = lookup(catalog, key);
  if (text === undefined) return key;
  const format = compiledFor(language, key, text);
  if (!format) return text;
  try {
    return String(format.format(params));
  } catch {
    // A parameter the caller did not give: better the message with its gap than nothing.
    return text;
  }
}
