import { isCalendarDay, measureStatuses, PlanValidationError, type Measure, type MeasureStatus } from "@laget/plan";
import { useQuery } from "@tanstack/react-query";
import type { inferOutput } from "@trpc/tanstack-react-query";
import type { MessageKey, TFunction } from "../i18n/types.ts";
import { trpc } from "../trpc.ts";
import "./plans.css";

export type Person = inferOutput<typeof trpc.users.directory>[number];
export type Unit = inferOutput<typeof trpc.units.list>[number];

export function statusKey(status: MeasureStatus): MessageKey {
  return `plan.status.${status}` as MessageKey;
}
export { measureStatuses };

/** Units and people to choose as responsible, with names to show for ids. */
export function usePlanDirectory() {
  const units = useQuery({ ...trpc.units.list.queryOptions(), staleTime: 5 * 60_000 });
  const people = useQuery({ ...trpc.users.directory.queryOptions(), staleTime: 5 * 60_000 });
  const unitName = (id: string | null) => (id ? (units.data?.find((u) => u.id === id)?.name ?? null) : null);
  const personName = (id: string | null) => (id ? (people.data?.find((p) => p.id === id)?.displayName ?? null) : null);
  return { units: units.data ?? [], people: people.data ?? [], unitName, personName };
}

/** Who can see the case's plan now (decided per user on the server); null while unknown. */
export function usePlanAudience(caseId: string) {
  const audience = useQuery({ ...trpc.cases.audience.queryOptions({ caseId, category: "plan" }), staleTime: 30_000 });
  return audience.data ?? null;
}
export type PlanAudience = ReturnType<typeof usePlanAudience>;

/** Runs a plan writer; a validation error becomes a sentence for the field. */
export function tryWrite(t: TFunction, write: () => void): string | null {
  try {
    write();
    return null;
  } catch (err) {
    if (err instanceof PlanValidationError) {
      if (err.field === "title" || err.field === "text") return t("plan.errors.required");
      if (["start", "deadline", "evaluationDate"].includes(err.field)) return t("plan.errors.date");
      return t("plan.errors.invalid");
    }
    return t("plan.errors.invalid");
  }
}

/** A date input's value as the plan stores it: a calendar day or none. */
export function dayOrNull(value: string): string | null | undefined {
  if (value === "") return null;
  return isCalendarDay(value) ? value : undefined;
}

/** What a measure still lacks of what every measure should have (DESIGN.md §1). */
export function missingParts(m: Measure): MessageKey[] {
  const missing: MessageKey[] = [];
  if (!m.responsibleUnitId) missing.push("plan.missing.unit");
  if (!m.responsiblePersonId) missing.push("plan.missing.person");
  if (!m.deadline) missing.push("plan.missing.deadline");
  if (!m.evaluationDate) missing.push("plan.missing.evaluation");
  return missing;
}

