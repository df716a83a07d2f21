import { z } from "./zod.ts";

/**
 * Text and dates as every boundary accepts them (DESIGN.md §9), defined once: every
 * free-text field and every date an input carries is built from these, so bad input is
 * a validation error at the boundary and never reaches the database (where a NUL, a lone
 * surrogate in JSON or a year 0 would fail as an internal error).
 */

/** No NUL (PostgreSQL text cannot hold it) and no unpaired surrogate (not Unicode, refused by jsonb). */
export function isStorableText(value: string): boolean {
  // In a /u pattern a surrogate matches only where it is not half of a pair.
  return !value.includes("\u0000") && !/\p{Cs}/u.test(value);
}

/**
 * Text that did not come through a zod boundary (typed into a live Yjs document) made
 * storable: NUL dropped, unpaired surrogates replaced, normalised to NFC.
 */
export function storableText(value: string): string {
  return value.replaceAll("\u0000", "").replace(/\p{Cs}/gu, "\uFFFD").normalize("NFC");
}

const storableMessage = "must not contain NUL characters or unpaired surrogates";

/** Any text, unchecked for length: refused if not storable, normalised to NFC. */
export const safeString = z.string().refine(isStorableText, storableMessage).normalize("NFC");

/** Required text: trimmed, at least one character, at most `max`. */
export const text = (max: number) => safeString.trim().min(1).max(max);

/** Optional text (may be empty after trimming), at most `max`. */
export const optionalText = (max: number) => safeString.trim().max(max);

/** The years a date in Laget can plausibly fall in: births from 1900, plans and periods until 2100. */
export const EARLIEST_YEAR = 1900;
export const LATEST_YEAR = 2100;
const earliest = new Date(Date.UTC(EARLIEST_YEAR, 0, 1));
const latest = new Date(Date.UTC(LATEST_YEAR, 11, 31, 23, 59, 59, 999));
const rangeMessage = `must be between ${EARLIEST_YEAR} and ${LATEST_YEAR}`;

/** A calendar date ("YYYY-MM-DD") within the plausible years. */
export const calendarDate = z.iso.date().refine((d) => {
  const year = Number(d.slice(0, 4));
  return year >= EARLIEST_YEAR && year <= LATEST_YEAR;
}, rangeMessage);

/** A moment (Date, ISO string or epoch ms) within the plausible years. */
export const instant = z.coerce
  .date()
  .min(earliest, rangeMessage)
  .max(latest, rangeMessage);
