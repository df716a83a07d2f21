import { useQuery } from "@tanstack/react-query";
import type { inferOutput } from "@trpc/tanstack-react-query";
import { queryClient, trpc, trpcClient } from "../trpc.ts";

/** Everything the meetings UI asks the server, in one place (the routers: meetings, agenda). */

export type MeetingDetail = inferOutput<typeof trpc.meetings.get>;
export type SeriesDetail = inferOutput<typeof trpc.meetings.getSeries>;
export type AgendaItem = inferOutput<typeof trpc.agenda.list>["items"][number];
export type Outcome = AgendaItem["outcomes"][number];

export function useMeetingList(from: string, to: string) {
  return useQuery({ ...trpc.meetings.list.queryOptions({ from, to }), placeholderData: (previous) => previous });
}

export function useKinds() {
  return useQuery({ ...trpc.meetings.kinds.queryOptions(), staleTime: 5 * 60_000 });
}

/** The meeting at an occurrence of a series: materialised on first visit (meetings.open is idempotent). */
export function useOpenMeeting(seriesId: string, recurrenceId: string) {
  return useQuery({
    queryKey: ["meetings.open", seriesId, recurrenceId],
    queryFn: () => trpcClient.meetings.open.mutate({ seriesId, recurrenceId }),
    staleTime: Infinity,
    retry: false,
  });
}

export function useMeeting(meetingId: string) {
  return useQuery(trpc.meetings.get.queryOptions({ meetingId }));
}

export function useAgenda(meetingId: string) {
  return useQuery(trpc.agenda.list.queryOptions({ meetingId }));
}

/** After a change to a meeting: its details, agenda and the calendar views refetch. */
export function refreshMeetings() {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: trpc.meetings.pathKey() }),
    queryClient.invalidateQueries({ queryKey: trpc.agenda.pathKey() }),
  ]);
}
