import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { formatsFor, type Formats } from "./format.ts";
import { isLoaded, loadLanguage, translate } from "./catalog.ts";
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

/**
 * The UI language. Only a loaded catalog is ever shown: a language remembered from the last
 * visit holds back the app until its catalog has arrived (bokmål if it cannot be loaded),
 * and a switch takes effect once the chosen language's catalog is there.
 */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(storedLanguage);
  const [ready, setReady] = useState(() => isLoaded(language));
  // The language asked for last: a slower load that finishes after another choice loses.
  const wanted = useRef(language);

  useEffect(() => {
    if (ready) return;
    loadLanguage(wanted.current).then(
      () => setReady(true),
      () => {
        wanted.current = "nb";
        setLanguageState("nb");
        setReady(true);
      },
    );
  }, [ready]);

  // Screen readers pick pronunciation from <html lang>, so keep it in step with the UI.
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  const setLanguage = useCallback((next: Language) => {
    wanted.current = next;
    loadLanguage(next).then(
      () => {
        if (wanted.current !== next) return;
        setLanguageState(next);
        try {
          localStorage.setItem(STORAGE_KEY, next);
        } catch {
          // Not persisted; the choice still holds for this visit.
        }
      },
      () => {
        // Not loaded (offline): the UI stays in the language it has.
      },
    );
  }, []);

  const value = useMemo<I18nValue>(
    () => ({ language, setLanguage, t: (key, params) => translate(language, key, params) }),
    [language, setLanguage],
  );
  if (!ready) return null;
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/**
 * Whether a language's catalog is loaded, loading it if not: for a page shown in another
 * language than the UI's (the brochure).
 */
export function useLanguageLoaded(language: Language): boolean {
  const [loadedNow, setLoadedNow] = useState(() => isLoaded(language));
  useEffect(() => {
    if (isLoaded(language)) {
      setLoadedNow(true);
      return;
    }
    setLoadedNow(false);
    let current = true;
    loadLanguage(language).then(
      () => current && setLoadedNow(true),
      () => {},
    );
    return () => {
      current = false;
    };
  }, [language]);
  return loadedNow && isLoaded(language);
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
