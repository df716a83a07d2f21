import { caseStatuses, categories, purposes, provisionActions } from "@laget/policy";
import { z } from "./zod.ts";
import { idSchema } from "./org.ts";
import { calendarDate, instant, optionalText, text } from "./text.ts";

// A case's lifecycle is the policy's (a closed case is read-only there).
export { caseStatuses, type CaseStatus } from "@laget/policy";
export const subjectRoles = ["child", "youth", "parent"] as const;
export type SubjectRole = (typeof subjectRoles)[number];
export const noteKinds = ["observation", "bright_spot"] as const;

export const categorySchema = z.enum(categories);
export const purposeSchema = z.enum(purposes);

/** The latest birth date and year anyone can have now: today wherever the user is (UTC+14 at most). */
const latestToday = () => new Date(Date.now() + 14 * 3600 * 1000);
export const latestBirthDate = (now = latestToday()) => now.toISOString().slice(0, 10);
export const latestBirthYear = (now = latestToday()) => now.getUTCFullYear();

export const subjectInput = z
  .object({
    role: z.enum(subjectRoles),
    name: text(200),
    birthDate: calendarDate.nullable().optional(),
    birthYear: z.number().int().min(1900).max(2100).nullable().optional(),
  })
  .refine((s) => !(s.birthDate && s.birthYear), { message: "Give a birth date or a birth year, not both", path: ["birthYear"] })
  .refine((s) => !s.birthYear || s.birthYear <= latestBirthYear(), { message: "A birth year cannot be in the future", path: ["birthYear"] })
  .refine((s) => !s.birthDate || s.birthDate <= latestBirthDate(), { message: "A birth date cannot be in the future", path: ["birthDate"] });

export const createCaseInput = z.object({
  owningUnitId: idSchema,
  btiLevel: z.number().int().min(0).max(3).default(1),
  subjects: z.array(subjectInput).min(1).max(10),
});
export type CreateCaseInput = z.infer<typeof createCaseInput>;

export const caseIdInput = z.object({ caseId: idSchema });

/** Who can see the case, its plan or its thread (for choosing a responsible person, a recipient, a mention). */
export const caseAudienceInput = z.object({ caseId: idSchema, category: z.enum(["identity", "plan", "conversation"]).default("identity") });

// Strict: an all-optional filter would otherwise accept any misspelt key silently.
export const listCasesInput = z
  .strictObject({
    search: optionalText(100).optional(),
    status: z.enum(caseStatuses).optional(),
    btiLevel: z.number().int().min(0).max(3).optional(),
    mine: z.boolean().optional(),
  })
  .default({});
export type ListCasesInput = z.infer<typeof listCasesInput>;

export const updateCaseInput = z.object({
  caseId: idSchema,
  btiLevel: z.number().int().min(0).max(3).optional(),
  status: z.enum(["open", "paused"]).optional(),
});
export const closeCaseInput = z.object({ caseId: idSchema, reason: text(1000) });
export const addSubjectInput = z.object({ caseId: idSchema, subject: subjectInput });

export const addParticipantInput = z.object({ caseId: idSchema, unitId: idSchema, userId: idSchema.nullable().optional() });
export const removeParticipantInput = z.object({ caseId: idSchema, participantId: idSchema });

export const proposeHandoverInput = z.object({ caseId: idSchema, toUserId: idSchema, note: optionalText(1000).optional() });
export const handoverIdInput = z.object({ handoverId: idSchema });

/** The longest note, in characters (the form shows the count). */
export const NOTE_MAX_LENGTH = 10_000;
export const addNoteInput = z.object({
  caseId: idSchema,
  category: categorySchema,
  kind: z.enum(noteKinds).default("observation"),
  body: text(NOTE_MAX_LENGTH),
});
export const editNoteInput = z.object({
  noteId: idSchema,
  category: categorySchema,
  body: text(NOTE_MAX_LENGTH),
  /** The version the edit was made from: a note changed since then is not overwritten. */
  version: z.number().int().min(1).optional(),
});
export const noteIdInput = z.object({ noteId: idSchema });

// Consent (DESIGN.md §4.1), modelled on FHIR R5 Consent.
export const grantorRelations = ["self", "parent", "guardian"] as const;
export const evidenceForms = ["written", "oral", "digital"] as const;

export const denyRuleSchema = z.object({
  actions: z.array(z.enum(provisionActions)).min(1).optional(),
  purposes: z.array(purposeSchema).min(1).optional(),
  categories: z.array(categorySchema).min(1).optional(),
});

export const provisionSchema = z.object({
  unitId: idSchema,
  actions: z.array(z.enum(provisionActions)).min(1),
  purposes: z.array(purposeSchema).min(1),
  categories: z.array(categorySchema).min(1),
  denies: z.array(denyRuleSchema).max(20).default([]),
});

export const consentTermsSchema = z.object({
  subjectId: idSchema,
  grantors: z.array(z.object({ name: text(200), relation: z.enum(grantorRelations) })).min(1).max(4),
  childViews: z
    .object({ heardOn: calendarDate, how: text(500), summary: text(4000) })
    .nullable()
    .optional(),
  evidence: z.object({
    form: z.enum(evidenceForms),
    language: text(50),
    interpreter: z.boolean(),
  }),
  informationTextVersion: text(50),
  provisions: z.array(provisionSchema).min(1).max(30),
  periodStart: instant,
  periodEnd: instant,
});
export type ConsentTerms = z.infer<typeof consentTermsSchema>;

/** A consent period that has already ended gives nothing: its end must be later than now. */
const periodNotOver = (t: { periodEnd: Date }) => t.periodEnd.getTime() > Date.now();
const periodNotOverIssue = { message: "The period has already ended: its end must be later than now", path: ["periodEnd"] };
export const createConsentInput = consentTermsSchema.extend({ caseId: idSchema }).refine(periodNotOver, periodNotOverIssue);
export const reviseConsentInput = consentTermsSchema.extend({ consentId: idSchema }).refine(periodNotOver, periodNotOverIssue);
export const consentIdInput = z.object({ consentId: idSchema });
export const consentReasonInput = z.object({ consentId: idSchema, reason: text(1000) });

export const createDisclosureInput = z.object({
  caseId: idSchema,
  statuteId: idSchema,
  recipientUnitId: idSchema,
  categories: z.array(categorySchema).min(1),
  purposes: z.array(purposeSchema).min(1).default(["coordination"]),
  justification: text(4000),
  validUntil: instant.nullable().optional(),
});
export const disclosureIdInput = z.object({ disclosureId: idSchema });
export const reviewDisclosureInput = z
  .object({
    disclosureId: idSchema,
    outcome: z.enum(["approved", "questioned"]),
    note: optionalText(2000).optional(),
  })
  // A question must say what is asked.
  .refine((r) => r.outcome !== "questioned" || !!r.note, { message: "Write the question", path: ["note"] });
