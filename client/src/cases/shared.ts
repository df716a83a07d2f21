import type { Category, Purpose } from "@laget/policy";
import type { inferOutput } from "@trpc/tanstack-react-query";
import type { MessageKey, TFunction } from "../i18n/types.ts";
import { apiErrorOf, queryClient, trpc } from "../trpc.ts";

export type CaseSummary = inferOutput<typeof trpc.cases.list>[number];
export type CaseDetail = inferOutput<typeof trpc.cases.get>;
export type Subject = CaseDetail["subjects"][number];
export type Consent = inferOutput<typeof trpc.consents.list>[number];
export type Disclosure = inferOutput<typeof trpc.disclosures.forCase>[number];

export const btiLevels = [0, 1, 2, 3] as const;

export function btiKey(level: number): MessageKey {
  return `bti.${level}` as MessageKey;
}

export function subjectNames(subjects: readonly { name: string }[]): string {
  return subjects.map((s) => s.name).join(", ");
}

export function categoryList(t: TFunction, categories: readonly Category[]): string {
  return categories.map((c) => t(`category.${c}`)).join(", ");
}

export function purposeList(t: TFunction, purposes: readonly Purpose[]): string {
  return purposes.map((p) => t(`purpose.${p}`)).join(", ");
}

// Dates and times are formatted in one place for the whole UI (i18n/format.ts).
export { OSLO, osloDay } from "../i18n/format.ts";
export { useFormat } from "../i18n/I18nProvider.tsx";

/** Age in whole years today, from a birth date or (roughly) a birth year; null when unknown. */
export function ageOf(subject: { birthDate: string | null; birthYear: number | null }, on = new Date()): number | null {
  if (subject.birthDate) {
    const [y, m, d] = subject.birthDate.split("-").map(Number) as [number, number, number];
    const had = on.getMonth() + 1 > m || (on.getMonth() + 1 === m && on.getDate() >= d);
    return on.getFullYear() - y - (had ? 0 : 1);
  }
  return subject.birthYear === null ? null : on.getFullYear() - subject.birthYear;
}

/** yyyy-mm-dd for <input type="date">, in local time. */
export function isoDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1 + months, d));
  return date.toISOString().slice(0, 10);
}

/** A date input's value as the UTC midnight the server compares periods in. */
export function dayToDate(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

export function isNotFound(error: unknown): boolean {
  return apiErrorOf(error).appCode === "NOT_FOUND";
}

/** Everything about one case: after a change, refetch it all (lists included). */
export function refreshCase() {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: trpc.cases.pathKey() }),
    queryClient.invalidateQueries({ queryKey: trpc.consents.pathKey() }),
    queryClient.invalidateQueries({ queryKey: trpc.disclosures.pathKey() }),
    queryClient.invalidateQueries({ queryKey: trpc.audit.pathKey() }),
    queryClient.invalidateQueries({ queryKey: trpc.notifications.pathKey() }),
  ]);
}

/** Roles that can work on cases (the server's rule): units where the user may own a case. */
export function caseUnits(memberships: readonly { unitId: string; unitName: string; unitKind: string; role: string }[]) {
  const seen = new Map<string, string>();
  for (const m of memberships) {
    if (["coordinator", "caseworker", "leader"].includes(m.role) && m.unitKind !== "volunteer") seen.set(m.unitId, m.unitName);
  }
  return [...seen].map(([id, name]) => ({ id, name }));
}
