import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { formatsFor, type Formats } from "./format.ts";
import { translate } from "./messages.ts";
import { languages, type Language, type TFunction } from "./types.ts";

export { localeFor } from "./types.ts";

const STORAGE_KEY = "laget.language";

function storedLanguage(): Language {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    if (value && (languages as readonly string[]).includes(value)) return value as Language;
  } catch {
    // Storage can be blocked (privacy settings); fall back to bokmål.
  }
  return "nb";
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

/** Dates, times and numbers in the UI language, moments in Norwegian time (format.ts). */
export function useFormat(): Formats {
  const { language } = useI18n();
  return useMemo(() => formatsFor(language), [language]);
}
