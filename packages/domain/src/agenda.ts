import { z } from "./zod.ts";
import { idSchema } from "./org.ts";
import { calendarDate, optionalText, text } from "./text.ts";

/** Meeting agendas, outcomes and minutes (DESIGN.md §6): the inputs of the agenda procedures. */

export const agendaItemKinds = ["case", "anonymous", "topic", "general"] as const;
export type AgendaItemKind = (typeof agendaItemKinds)[number];
export const agendaItemStatuses = ["open", "done", "carried"] as const;
export type AgendaItemStatus = (typeof agendaItemStatuses)[number];
export const outcomeKinds = ["information", "decision", "action"] as const;
export type OutcomeKind = (typeof outcomeKinds)[number];
export const minutesStateValues = ["draft", "review", "approved"] as const;

export const MAX_PSEUDONYM = 60;
export const MAX_AGENDA_TITLE = 200;
export const MAX_AGENDA_TEXT = 4000;

const plannedMinutes = z.number().int().min(1).max(600);

export const meetingIdInput = z.strictObject({ meetingId: idSchema });
export const agendaItemIdInput = z.strictObject({ agendaItemId: idSchema });
export const agendaEligibilityInput = z.strictObject({ meetingId: idSchema, caseId: idSchema });
export const agendaOfCaseInput = z.strictObject({ caseId: idSchema });

export const agendaItemInput = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("case"), caseId: idSchema }),
  z.strictObject({
    kind: z.literal("anonymous"),
    /** "Gutt, 14 år": no name, no identifying data. */
    pseudonym: text(MAX_PSEUDONYM),
    description: optionalText(MAX_AGENDA_TEXT).default(""),
    linkedCaseId: idSchema.optional(),
  }),
  z.strictObject({ kind: z.literal("topic"), title: text(MAX_AGENDA_TITLE), description: optionalText(MAX_AGENDA_TEXT).default("") }),
]);
export type AgendaItemInput = z.infer<typeof agendaItemInput>;

export const addAgendaItemInput = z.strictObject({
  meetingId: idSchema,
  item: agendaItemInput,
  plannedMinutes: plannedMinutes.optional(),
  presenterUserId: idSchema.optional(),
});

export const updateAgendaItemInput = z.strictObject({
  agendaItemId: idSchema,
  title: text(MAX_AGENDA_TITLE).optional(),
  description: optionalText(MAX_AGENDA_TEXT).optional(),
  plannedMinutes: plannedMinutes.nullable().optional(),
  presenterUserId: idSchema.nullable().optional(),
  status: z.enum(["open", "done"]).optional(),
});

export const reorderAgendaInput = z.strictObject({ meetingId: idSchema, orderedIds: z.array(idSchema).max(200) });
export const promoteAgendaItemInput = z.strictObject({ agendaItemId: idSchema, caseId: idSchema });

export const addOutcomeInput = z.strictObject({
  agendaItemId: idSchema,
  kind: z.enum(outcomeKinds),
  text: text(MAX_AGENDA_TEXT),
  responsibleUnitId: idSchema.optional(),
  responsibleUserId: idSchema.optional(),
  deadline: calendarDate.optional(),
  evaluationDate: calendarDate.optional(),
});
export const outcomeIdInput = z.strictObject({ outcomeId: idSchema });

export const setMinutesStateInput = z.strictObject({
  meetingId: idSchema,
  to: z.enum(minutesStateValues),
  /** Required to reopen approved minutes for a correction. */
  reason: text(1000).optional(),
});
