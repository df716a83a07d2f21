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
import { addParticipant, addSubject, closeCase, removeParticipant, updateCase } from "./case-changes.ts";
import { createCase, getCase, listCases } from "./cases.ts";
import { acceptHandover, declineHandover, handoverHistory, proposeHandover, withdrawHandover } from "./handovers.ts";
import { addNote, editNote, listNotes, noteHistory } from "./notes.ts";
import { caseAudience } from "./participants.ts";

export const casesRouter = router({
  list: userProcedure.input(listCasesInput).query(({ ctx, input }) => listCases({ ...ctx, ...input })),
  get: userProcedure.input(caseIdInput).query(({ ctx, input }) => getCase({ ...ctx, ...input })),
  audience: userProcedure.input(caseAudienceInput).query(({ ctx, input }) => caseAudience({ ...ctx, ...input })),
  create: userProcedure.input(createCaseInput).mutation(({ ctx, input }) => createCase({ ...ctx, ...input })),
  update: userProcedure.input(updateCaseInput).mutation(({ ctx, input }) => updateCase({ ...ctx, ...input })),
  close: userProcedure.input(closeCaseInput).mutation(({ ctx, input }) => closeCase({ ...ctx, ...input })),
  addSubject: userProcedure.input(addSubjectInput).mutation(({ ctx, input }) => addSubject({ ...ctx, ...input })),
  addParticipant: userProcedure.input(addParticipantInput).mutation(({ ctx, input }) => addParticipant({ ...ctx, ...input })),
  removeParticipant: userProcedure.input(removeParticipantInput).mutation(({ ctx, input }) => removeParticipant({ ...ctx, ...input })),

  proposeHandover: userProcedure.input(proposeHandoverInput).mutation(({ ctx, input }) => proposeHandover({ ...ctx, ...input })),
  acceptHandover: userProcedure.input(handoverIdInput).mutation(({ ctx, input }) => acceptHandover({ ...ctx, ...input })),
  declineHandover: userProcedure.input(handoverIdInput).mutation(({ ctx, input }) => declineHandover({ ...ctx, ...input })),
  withdrawHandover: userProcedure.input(handoverIdInput).mutation(({ ctx, input }) => withdrawHandover({ ...ctx, ...input })),
  handoverHistory: userProcedure.input(caseIdInput).query(({ ctx, input }) => handoverHistory({ ...ctx, ...input })),

  notes: userProcedure.input(caseIdInput).query(({ ctx, input }) => listNotes({ ...ctx, ...input })),
  addNote: userProcedure.input(addNoteInput).mutation(({ ctx, input }) => addNote({ ...ctx, ...input })),
  editNote: userProcedure.input(editNoteInput).mutation(({ ctx, input }) => editNote({ ...ctx, ...input })),
  noteHistory: userProcedure.input(noteIdInput).query(({ ctx, input }) => noteHistory({ ...ctx, ...input })),
});
