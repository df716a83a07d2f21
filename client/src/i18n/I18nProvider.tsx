import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { en } from "./en.ts";
import { nb } from "./nb.ts";
import { languages, type Catalog, type Language, type MessageKey, type Params, type TFunction } from "./types.ts";

const catalogs: Record<Language, Catalog> = { nb, en };
const STORAGE_KEY = "laget.language";

/** Locale tags for Intl formatting (dates), per UI language. */
export const localeFor: Record<Language, string> = { nb: "nb-NO", en: "en-GB" };

function storedLanguage(): Language {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    if (value && (languages as readonly string[]).includes(value)) return value as Language;
  } catch {
    // Storage can be blocked (privacy settings); fall back to bokmål.
  }
  return "nb";
}

function lookup(catalog: Catalog, key: MessageKey): string {
  let node: unknown = catalog;
  for (const part of key.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === "string" ? node : key;
}

export function translate(language: Language, key: MessageKey, params?: Params): string {
  const text = lookup(catalogs[language], key);
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

type I18nValue = { language: Language; setLanguage(language: Language): void; t: TFunction };
const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(storedLanguage);

  // Screen readers pick pronunciation from <html lang>, so keep it in step with the UI.
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not persisted; the choice still holds for this visit.
    }
  }, []);

  const value = useMemo<I18nValue>(
    () => ({ language, setLanguage, t: (key, params) => translate(language, key, params) }),
    [language, setLanguage],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}

/** The translate function for the current language: t("login.title"), t("units.created", { name }). */
export function useT(): TFunction {
  return useI18n().t;
}
