import { router, userProcedure } from "../trpc/init.ts";
import { setAttendance } from "./attendance.ts";
import "./events.ts";
import {
  listInput,
  meetingIdInput,
  openInput,
  previewInput,
  seriesIdInput,
  seriesInputSchema,
  setAttendanceInput,
  updateOccurrenceInput,
  updateSeriesInput,
} from "./inputs.ts";
import { getMeeting, listOccurrences, openMeeting, updateOccurrence } from "./occurrences.ts";
import { cancelSeries, createSeries, getSeries, meetingKinds, previewRecurrence, updateSeries } from "./series.ts";

/** Meeting series and their occurrences (DESIGN.md §6): the `meetings` router. */
export const meetingsRouter = router({
  kinds: userProcedure.query(({ ctx }) => meetingKinds(ctx)),
  preview: userProcedure.input(previewInput).query(({ input }) => previewRecurrence(input)),
  createSeries: userProcedure.input(seriesInputSchema).mutation(({ ctx, input }) => createSeries({ ...ctx, ...input })),
  updateSeries: userProcedure.input(updateSeriesInput).mutation(({ ctx, input }) => updateSeries({ ...ctx, ...input })),
  updateOccurrence: userProcedure.input(updateOccurrenceInput).mutation(({ ctx, input }) => updateOccurrence({ ...ctx, ...input })),
  cancelSeries: userProcedure.input(seriesIdInput).mutation(({ ctx, input }) => cancelSeries({ ...ctx, ...input })),
  list: userProcedure.input(listInput).query(({ ctx, input }) => listOccurrences({ ...ctx, ...input })),
  getSeries: userProcedure.input(seriesIdInput).query(({ ctx, input }) => getSeries({ ...ctx, ...input })),
  open: userProcedure.input(openInput).mutation(({ ctx, input }) => openMeeting({ ...ctx, ...input })),
  get: userProcedure.input(meetingIdInput).query(({ ctx, input }) => getMeeting({ ...ctx, ...input })),
  setAttendance: userProcedure.input(setAttendanceInput).mutation(({ ctx, input }) => setAttendance({ ...ctx, ...input })),
});
