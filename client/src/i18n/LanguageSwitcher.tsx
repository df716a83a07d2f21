import { useId } from "react";
import { loadLanguage } from "./catalog.ts";
import { useI18n } from "./I18nProvider.tsx";
import { languages } from "./types.ts";

/**
 * Two toggle buttons rather than a select: switching happens on an explicit press, never
 * while someone is just moving through options with the keyboard. Each language name is
 * written in its own language and marked with lang, so screen readers read it right. A
 * language not loaded yet is loaded when chosen (catalog.ts).
 */
export function LanguageSwitcher() {
  const { language, setLanguage, t } = useI18n();
  const labelId = useId();
  return (
    <div className="language-switcher" role="group" aria-labelledby={labelId}>
      <span id={labelId} className="language-switcher__label">
        {t("language.label")}
      </span>
      {languages.map((lang) => (
        <button
          key={lang}
          type="button"
          lang={lang}
          className="button button--small button--toggle"
          aria-pressed={language === lang}
          onClick={() => setLanguage(lang)}
          // The catalog starts loading as the pointer or focus reaches the button, so the press finds it there.
          onPointerEnter={() => void loadLanguage(lang).catch(() => {})}
          onFocus={() => void loadLanguage(lang).catch(() => {})}
        >
          {t(`language.${lang}`)}
        </button>
      ))}
    </div>
  );
}
