import {
  addNoteInput,
  addParticipantInput,
  addSubjectInput,
  caseAudienceInput,
  caseIdInput,
  closeCaseInput,
  createCaseInput,
  editNoteInput,
  handoverIdInput,
  listCasesInput,
  noteIdInput,
  proposeHandoverInput,
  removeParticipantInput,
  updateCaseInput,
} from "@laget/domain";
import { router, userProcedure } from "../trpc/init.ts";
import { callOf } from "./call.ts";
import { addParticipant, addSubject, closeCase, removeParticipant, updateCase } from "./case-changes.ts";
import { createCase, getCase, listCases } from "./cases.ts";
import { acceptHandover, declineHandover, handoverHistory, proposeHandover, withdrawHandover } from "./handovers.ts";
import { addNote, editNote, listNotes, noteHistory } from "./notes.ts";
import { caseAudience } from "./participants.ts";

export const casesRouter = router({
  list: userProcedure.input(listCasesInput).query(({ ctx, input }) => listCases({ ...callOf(ctx), ...input })),
  get: userProcedure.input(caseIdInput).query(({ ctx, input }) => getCase({ ...callOf(ctx), ...input })),
  audience: userProcedure.input(caseAudienceInput).query(({ ctx, input }) => caseAudience({ ...callOf(ctx), ...input })),
  create: userProcedure.input(createCaseInput).mutation(({ ctx, input }) => createCase({ ...callOf(ctx), ...input })),
  update: userProcedure.input(updateCaseInput).mutation(({ ctx, input }) => updateCase({ ...callOf(ctx), ...input })),
  close: userProcedure.input(closeCaseInput).mutation(({ ctx, input }) => closeCase({ ...callOf(ctx), ...input })),
  addSubject: userProcedure.input(addSubjectInput).mutation(({ ctx, input }) => addSubject({ ...callOf(ctx), ...input })),
  addParticipant: userProcedure.input(addParticipantInput).mutation(({ ctx, input }) => addParticipant({ ...callOf(ctx), ...input })),
  removeParticipant: userProcedure.input(removeParticipantInput).mutation(({ ctx, input }) => removeParticipant({ ...callOf(ctx), ...input })),

  proposeHandover: userProcedure.input(proposeHandoverInput).mutation(({ ctx, input }) => proposeHandover({ ...callOf(ctx), ...input })),
  acceptHandover: userProcedure.input(handoverIdInput).mutation(({ ctx, input }) => acceptHandover({ ...callOf(ctx), ...input })),
  declineHandover: userProcedure.input(handoverIdInput).mutation(({ ctx, input }) => declineHandover({ ...callOf(ctx), ...input })),
  withdrawHandover: userProcedure.input(handoverIdInput).mutation(({ ctx, input }) => withdrawHandover({ ...callOf(ctx), ...input })),
  handoverHistory: userProcedure.input(caseIdInput).query(({ ctx, input }) => handoverHistory({ ...callOf(ctx), ...input })),

  notes: userProcedure.input(caseIdInput).query(({ ctx, input }) => listNotes({ ...callOf(ctx), ...input })),
  addNote: userProcedure.input(addNoteInput).mutation(({ ctx, input }) => addNote({ ...callOf(ctx), ...input })),
  editNote: userProcedure.input(editNoteInput).mutation(({ ctx, input }) => editNote({ ...callOf(ctx), ...input })),
  noteHistory: userProcedure.input(noteIdInput).query(({ ctx, input }) => noteHistory({ ...callOf(ctx), ...input })),
});
