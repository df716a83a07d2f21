/** Bokmål texts of notifications: the source of truth for their keys (see ../nb.ts). */
export const notificationsNb = {
  notifications: {
    button: "Varsler",
    heading: "Varsler",
    empty: "Du har ingen varsler.",
    unreadSuffix: "{count, plural, one {ulest} other {uleste}}",
    markAll: "Merk alle som lest",
    open: "Åpne saken",
    unread: "Ulest",
    case_invited: "Du har fått tilgang til en sak.",
    handover_proposed: "Du er foreslått som stafettholder for en sak.",
    handover_answered: "Et forslag om overlevering er besvart.",
    consent_expiring: "Et samtykke i en av sakene dine utløper snart.",
    consent_ended: "Et samtykke i en sak du deltar i, gjelder ikke lenger.",
    case_access_ended: "Du har ikke lenger tilgang til en sak du deltok i.",
    disclosure_to_review: "En opplysning etter lov venter på gjennomgang.",
    measure_due: "Et tiltak du har ansvar for, har frist om en uke.",
    measure_evaluation: "Et tiltak du har ansvar for, skal evalueres nå.",
    measure_overdue: "Et tiltak i en sak du er stafettholder for, har passert fristen.",
    mention: "Noen nevnte deg i en samtale.",
    openConversation: "Åpne samtalen",
  },
} as const;
