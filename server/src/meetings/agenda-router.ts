import {
  addAgendaItemInput,
  addOutcomeInput,
  agendaEligibilityInput,
  agendaItemIdInput,
  agendaOfCaseInput,
  meetingIdInput,
  outcomeIdInput,
  promoteAgendaItemInput,
  reorderAgendaInput,
  setMinutesStateInput,
  updateAgendaItemInput,
} from "@laget/domain";
import { router, userProcedure } from "../trpc/init.ts";
import { carryOver, promoteAgendaItem } from "./agenda-follow-up.ts";
import { agendaOfCase, listAgenda } from "./agenda-views.ts";
import { addAgendaItem, agendaEligibility, removeAgendaItem, reorderAgenda, updateAgendaItem } from "./agenda.ts";
import { minutesVersions, setMinutesState } from "./minutes.ts";
import { addOutcome, removeOutcome, toMeasure } from "./outcomes.ts";
import { printMinutes } from "./print.ts";

/** A meeting's agenda, outcomes and minutes (DESIGN.md §6): each reader sees only what the policy lets them. */
export const agendaRouter = router({
  list: userProcedure.input(meetingIdInput).query(({ ctx, input }) => listAgenda({ ...ctx, ...input })),
  eligibility: userProcedure.input(agendaEligibilityInput).query(({ ctx, input }) => agendaEligibility({ ...ctx, ...input })),
  add: userProcedure.input(addAgendaItemInput).mutation(({ ctx, input }) => addAgendaItem({ ...ctx, ...input })),
  update: userProcedure.input(updateAgendaItemInput).mutation(({ ctx, input }) => updateAgendaItem({ ...ctx, ...input })),
  remove: userProcedure.input(agendaItemIdInput).mutation(({ ctx, input }) => removeAgendaItem({ ...ctx, ...input })),
  reorder: userProcedure.input(reorderAgendaInput).mutation(({ ctx, input }) => reorderAgenda({ ...ctx, ...input })),
  carryOver: userProcedure.input(meetingIdInput).mutation(({ ctx, input }) => carryOver({ ...ctx, ...input })),
  promote: userProcedure.input(promoteAgendaItemInput).mutation(({ ctx, input }) => promoteAgendaItem({ ...ctx, ...input })),
  addOutcome: userProcedure.input(addOutcomeInput).mutation(({ ctx, input }) => addOutcome({ ...ctx, ...input })),
  removeOutcome: userProcedure.input(outcomeIdInput).mutation(({ ctx, input }) => removeOutcome({ ...ctx, ...input })),
  toMeasure: userProcedure.input(outcomeIdInput).mutation(({ ctx, input }) => toMeasure({ ...ctx, ...input })),
  setMinutesState: userProcedure.input(setMinutesStateInput).mutation(({ ctx, input }) => setMinutesState({ ...ctx, ...input })),
  minutesVersions: userProcedure.input(meetingIdInput).query(({ ctx, input }) => minutesVersions({ ...ctx, ...input })),
  print: userProcedure.input(meetingIdInput).query(({ ctx, input }) => printMinutes({ ...ctx, ...input })),
  ofCase: userProcedure.input(agendaOfCaseInput).query(({ ctx, input }) => agendaOfCase({ ...ctx, ...input })),
});
