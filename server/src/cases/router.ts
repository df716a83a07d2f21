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
import { addParticipant, addSubject, closeCase, createCase, getCase, listCases, removeParticipant, updateCase } from "./cases.ts";
import { acceptHandover, declineHandover, handoverHistory, proposeHandover, withdrawHandover } from "./handovers.ts";
import { addNote, editNote, listNotes, noteHistory } from "./notes.ts";
import { caseAudience } from "./participants.ts";

export const casesRouter = router({
  list: userProcedure.input(listCasesInput).query(({ ctx, input }) => listCases(ctx.db, ctx.actor, input)),
  get: userProcedure.input(caseIdInput).query(({ ctx, input }) => getCase(ctx.db, ctx.actor, input.caseId)),
  audience: userProcedure.input(caseAudienceInput).query(({ ctx, input }) => caseAudience(ctx.db, ctx.actor, input.caseId, input.category)),
  create: userProcedure.input(createCaseInput).mutation(({ ctx, input }) => createCase(ctx.db, ctx.actor, input)),
  update: userProcedure.input(updateCaseInput).mutation(({ ctx, input }) => updateCase(ctx.db, ctx.actor, input)),
  close: userProcedure.input(closeCaseInput).mutation(({ ctx, input }) => closeCase(ctx.db, ctx.bus, ctx.actor, input.caseId, input.reason)),
  addSubject: userProcedure.input(addSubjectInput).mutation(({ ctx, input }) => addSubject(ctx.db, ctx.actor, input.caseId, input.subject)),
  addParticipant: userProcedure.input(addParticipantInput).mutation(({ ctx, input }) => addParticipant(ctx.db, ctx.bus, ctx.actor, input)),
  removeParticipant: userProcedure
    .input(removeParticipantInput)
    .mutation(({ ctx, input }) => removeParticipant(ctx.db, ctx.bus, ctx.actor, input.caseId, input.participantId)),

  proposeHandover: userProcedure.input(proposeHandoverInput).mutation(({ ctx, input }) => proposeHandover(ctx.db, ctx.realtime, ctx.actor, input)),
  acceptHandover: userProcedure.input(handoverIdInput).mutation(({ ctx, input }) => acceptHandover(ctx.db, ctx.bus, ctx.realtime, ctx.actor, input.handoverId)),
  declineHandover: userProcedure.input(handoverIdInput).mutation(({ ctx, input }) => declineHandover(ctx.db, ctx.realtime, ctx.actor, input.handoverId)),
  withdrawHandover: userProcedure.input(handoverIdInput).mutation(({ ctx, input }) => withdrawHandover(ctx.db, ctx.realtime, ctx.actor, input.handoverId)),
  handoverHistory: userProcedure.input(caseIdInput).query(({ ctx, input }) => handoverHistory(ctx.db, ctx.actor, input.caseId)),

  notes: userProcedure.input(caseIdInput).query(({ ctx, input }) => listNotes(ctx.db, ctx.actor, input.caseId)),
  addNote: userProcedure.input(addNoteInput).mutation(({ ctx, input }) => addNote(ctx.db, ctx.actor, input)),
  editNote: userProcedure.input(editNoteInput).mutation(({ ctx, input }) => editNote(ctx.db, ctx.actor, input)),
  noteHistory: userProcedure.input(noteIdInput).query(({ ctx, input }) => noteHistory(ctx.db, ctx.actor, input.noteId)),
});
