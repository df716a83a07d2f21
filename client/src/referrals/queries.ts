import type { ReferralStatus } from "@laget/policy";
import type { inferOutput } from "@trpc/tanstack-react-query";
import type { MessageKey } from "../i18n/types.ts";
import { queryClient, trpc } from "../trpc.ts";

/** Everything the referral UI asks the server (router `referrals`), and the words of a status. */

export type ReferralView = inferOutput<typeof trpc.referrals.get>;
export type ReferralSummary = inferOutput<typeof trpc.referrals.list>[number];
export type ReferralRecipient = inferOutput<typeof trpc.referrals.recipients>[number];

/** After a change, or when the event stream says one happened: every referral view fetches again. */
export function refreshReferrals() {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: trpc.referrals.pathKey() }),
    queryClient.invalidateQueries({ queryKey: trpc.notifications.pathKey() }),
  ]);
}

/** The chip's words: "Trukket" for a cancelled one, on either side. */
export function statusKey(status: ReferralStatus): MessageKey {
  return `referrals.status.${status}`;
}

/** How a status looks: settled ones calm, open ones waiting on someone marked. */
export function statusTone(status: ReferralStatus): "ok" | "warn" | "off" {
  if (status === "accepted" || status === "in_progress" || status === "completed") return "ok";
  if (status === "sent" || status === "received" || status === "on_hold") return "warn";
  return "off";
}
