import type { nb } from "./nb.ts";

export type Language = "nb" | "en";
export const languages: readonly Language[] = ["nb", "en"];

/** The locale each UI language formats dates, numbers and plural rules in. */
export const localeFor: Record<Language, string> = { nb: "nb-NO", en: "en-GB" };

/** The shape of nb with every text widened to string: what another language must provide. */
export type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Catalog = Widen<typeof nb>;

/** Every dotted path to a text, e.g. "login.title". */
type Leaves<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
export type MessageKey = Leaves<typeof nb>;

export type Params = Record<string, string | number>;
export type TFunction = (key: MessageKey, params?: Params) => string;
