import { en } from "./en.ts";
import { lookup, translateIn } from "./icu.ts";
import { nb } from "./nb.ts";
import type { Catalog, Language, MessageKey, Params } from "./types.ts";

export { compileMessage } from "./icu.ts";

/**
 * Every language's catalog at once, for tests and scripts. The app loads only the language
 * in use (catalog.ts), so it does not import this module.
 */
export const catalogs: Record<Language, Catalog> = { nb, en };

/** The raw message at a dotted key, or undefined when the catalog has none. */
export function messageText(language: Language, key: string): string | undefined {
  return lookup(catalogs[language], key);
}

/** The message at key in language with params put in; the key itself when the catalog lacks it. */
export function translate(language: Language, key: MessageKey, params?: Params): string {
  return translateIn(catalogs[language], language, key, params);
}
