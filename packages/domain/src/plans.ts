import { z } from "./zod.ts";
import { idSchema } from "./org.ts";
import { text } from "./text.ts";

/** Live shared plans (DESIGN.md §5): the inputs of the plans procedures. */

export const myMeasuresFilters = ["all", "due", "overdue"] as const;
export type MyMeasuresFilter = (typeof myMeasuresFilters)[number];

export const planCaseInput = z.strictObject({ caseId: idSchema });
export const restoreRevisionInput = z.strictObject({ caseId: idSchema, revisionId: idSchema });
export const myMeasuresInput = z.strictObject({ filter: z.enum(myMeasuresFilters).default("all") }).default({ filter: "all" });

export const planDomainInput = z.strictObject({ id: z.string().regex(/^[a-z0-9-]{1,60}$/), name: text(200) });
export type PlanDomainInput = z.infer<typeof planDomainInput>;
export const setPlanDomainsInput = z.strictObject({
  domains: z
    .array(planDomainInput)
    .min(1)
    .max(30)
    .refine((ds) => new Set(ds.map((d) => d.id)).size === ds.length, "ids must be distinct")
    .nullable(),
});
