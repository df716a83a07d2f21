import type { Widen } from "../types.ts";
import type { notificationsNb } from "./notifications.nb.ts";

/** English texts of notifications: typed from bokmål, so a missing or extra key is a compile error. */
export const notificationsEn: Widen<typeof notificationsNb> = {
  notifications: {
    button: "Notifications",
    heading: "Notifications",
    empty: "You have no notifications.",
    unreadSuffix: "{count, plural, other {unread}}",
    markAll: "Mark all as read",
    open: "Open the case",
    unread: "Unread",
    case_invited: "You have been given access to a case.",
    handover_proposed: "You have been proposed as baton holder for a case.",
    handover_answered: "A handover proposal has been answered.",
    consent_expiring: "A consent in one of your cases expires soon.",
    consent_ended: "A consent in a case you take part in no longer applies.",
    case_access_ended: "You no longer have access to a case you took part in.",
    disclosure_to_review: "A legal-basis disclosure is waiting for review.",
    measure_due: "A measure you are responsible for is due in a week.",
    measure_evaluation: "A measure you are responsible for is due for evaluation now.",
    measure_overdue: "A measure in a case you coordinate is past its deadline.",
    mention: "Someone mentioned you in a conversation.",
    meeting_soon: "You have a meeting within 24 hours.",
    meeting_agenda_empty: "A meeting you organise in three days has nothing on its agenda yet.",
    meeting_action_due: "An action from a meeting that you are responsible for is due today.",
    referral_unanswered: "A referral has not been answered within the deadline.",
    openConversation: "Open the conversation",
    referral_received: "Your organisation has received a new referral.",
    referral_answered: "A referral you follow has been answered.",
    referral_withdrawn: "A referral to your organisation has been withdrawn.",
    openReferrals: "Open referrals",
  },
};
