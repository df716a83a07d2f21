import { lookup, translateIn } from "./icu.ts";
import { nb } from "./nb.ts";
import type { Catalog, Language, MessageKey, Params } from "./types.ts";

/**
 * The catalogs the app has loaded. Bokmål, the default, comes with the app; another
 * language is loaded when chosen (or remembered from the last visit), and shown only once it
 * has arrived (I18nProvider), so the UI never shows a raw key.
 */
const loaded: Partial<Record<Language, Catalog>> = { nb };
const loaders: Record<Exclude<Language, "nb">, () => Promise<Catalog>> = {
  en: () => import("./en.ts").then((m) => m.en),
};
const pending = new Map<Language, Promise<void>>();

export function isLoaded(language: Language): boolean {
  return loaded[language] !== undefined;
}

/** Loads a language's catalog (once; a failed load is tried again on the next call). */
export function loadLanguage(language: Language): Promise<void> {
  if (language === "nb" || loaded[language]) return Promise.resolve();
  let load = pending.get(language);
  if (!load) {
    load = loaders[language]()
      .then((catalog) => {
        loaded[language] = catalog;
      })
      .finally(() => pending.delete(language));
    pending.set(language, load);
  }
  return load;
}

/** The raw message at a dotted key, or undefined when the catalog has none (or is not loaded). */
export function messageText(language: Language, key: string): string | undefined {
  return lookup(loaded[language], key);
}

/** The message at key in language with params put in; bokmål until that language has loaded. */
export function translate(language: Language, key: MessageKey, params?: Params): string {
  const catalog = loaded[language];
  return catalog ? translateIn(catalog, language, key, params) : translateIn(nb, "nb", key, params);
}
