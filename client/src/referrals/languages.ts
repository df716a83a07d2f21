import { localeFor, type Language } from "../i18n/types.ts";

/**
 * The languages the form offers (ISO 639-1): Norwegian and English, then the languages
 * most families new to Norway speak. Their names come from the browser (Intl), in the
 * UI language.
 */
export const referralLanguages = ["nb", "nn", "en", "ar", "so", "ti", "uk", "pl", "fa", "ps", "ku", "ur", "lt", "ru", "es", "fr", "sv", "th", "vi", "tr", "sq", "ro"] as const;

export function languageName(code: string, language: Language): string {
  try {
    return new Intl.DisplayNames([localeFor[language]], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}
