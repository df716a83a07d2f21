import { IntlMessageFormat } from "intl-messageformat";
import { localeFor, type Catalog, type Language, type MessageKey, type Params } from "./types.ts";

/**
 * Messages are ICU MessageFormat (FormatJS intl-messageformat): `{name}` arguments, and
 * `{count, plural, one {# ulest} other {# uleste}}` where a count decides the words, with
 * each language's own plural rules. Plain React-free functions over a catalog, shared by the
 * app (catalog.ts: the languages loaded so far) and the tests (messages.ts: every language).
 *
 * In the built app the catalogs arrive precompiled (client/build/messages.ts): a message
 * with ICU syntax is its parsed form, the rest stay text, and the parser is not shipped.
 */

/** A message as parsed (what IntlMessageFormat's getAst() returns). */
export type MessageAst = ReturnType<IntlMessageFormat["getAst"]>;
/** A catalog entry: ICU text, or (precompiled) the parsed message. */
export type Message = string | MessageAst;

/** Characters that make a text more than itself in ICU MessageFormat (tags are off). */
const ICU_SYNTAX = /[{}']/;

/** Whether a text needs no parsing: ICU reads it as exactly itself. */
export function isPlainText(text: string): boolean {
  return !ICU_SYNTAX.test(text);
}

/** The message at a dotted key, or undefined when the catalog has none. */
export function lookupMessage(catalog: Catalog | undefined, key: string): Message | undefined {
  let node: unknown = catalog;
  for (const part of key.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === "string" || Array.isArray(node) ? (node as Message) : undefined;
}

/** A message as text: itself, or a parsed message written back with its arguments as `{name}`. */
export function messageAsText(message: Message): string {
  if (typeof message === "string") return message;
  return message.map((el) => (el.type === 0 ? el.value : "value" in el ? `{${String(el.value)}}` : "")).join("");
}

/** The text at a dotted key, or undefined when the catalog has none. */
export function lookup(catalog: Catalog | undefined, key: string): string | undefined {
  const message = lookupMessage(catalog, key);
  return message === undefined ? undefined : messageAsText(message);
}

/** A compiled message. Tags are off: "<" in a text is a character, not markup. */
export function compileMessage(message: Message, language: Language): IntlMessageFormat {
  return new IntlMessageFormat(message, localeFor[language], undefined, { ignoreTag: true });
}

/** Compiled messages by language, by message (a text by its value, a parsed message by itself). */
const compiled: Record<Language, Map<Message, IntlMessageFormat | null>> = { nb: new Map(), en: new Map() };

function compiledFor(language: Language, message: Message): IntlMessageFormat | null {
  let format = compiled[language].get(message);
  if (format === undefined) {
    try {
      format = compileMessage(message, language);
    } catch {
      format = null; // Not valid ICU (the catalog test forbids it): show the text as written.
    }
    compiled[language].set(message, format);
  }
  return format;
}

/** The message at key in the language's catalog with params put in; the key itself when the catalog lacks it. */
export function translateIn(catalog: Catalog | undefined, language: Language, key: MessageKey, params?: Params): string {
  const message = lookupMessage(catalog, key);
  if (message === undefined) return key;
  if (typeof message === "string" && isPlainText(message)) return message;
  const format = compiledFor(language, message);
  if (!format) return messageAsText(message);
  try {
    return String(format.format(params));
  } catch {
    // A parameter the caller did not give: better the message with its gap than nothing.
    return messageAsText(message);
  }
}
