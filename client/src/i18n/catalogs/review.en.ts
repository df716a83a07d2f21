import type { Widen } from "../types.ts";
import type { reviewNb } from "./review.nb.ts";

/** English texts of review: typed from bokmål, so a missing or extra key is a compile error. */
export const reviewEn: Widen<typeof reviewNb> = {
  review: {
    nav: "Review",
    title: "Review",
    intro: "As a leader you review legal-basis disclosures from your units, and access that does not rest on ownership or consent.",
    forbidden: "Only leaders and administrators can use the review.",
    disclosuresHeading: "Legal-basis disclosures to review",
    disclosuresNone: "No legal-basis disclosures from your units.",
    approve: "Approve",
    question: "Raise a question",
    noteFor: "Note or question on the disclosure to {to}",
    noteHint: "Optional when you approve. When you raise a question, write the question here.",
    questionRequired: "Write the question before you send it.",
    reviewed: "The review has been saved.",
    outcome_approved: "Approved",
    outcome_questioned: "Questioned",
    accessHeading: "Access outside ownership and consent",
    accessIntro: "Refused attempts and access on a legal-basis disclosure, by people in the units you lead, over the last 90 days.",
    accessNone: "No such events.",
    colKind: "Kind",
    kind_denied: "Refused attempt",
    kind_disclosure: "Legal-basis disclosure",
    colCase: "Case",
    caseHidden: "Case {letter} (a case you do not see yourself)",
    verifyHeading: "Check the audit log",
    verifyIntro: "Each event in the log is linked to the one before, so later changes can be detected.",
    verify: "Check the audit log",
    verifyOk: "The audit log is intact: {count, plural, one {# event checked, and it is unchanged} other {# events checked, and none changed}}.",
    verifyBroken: "The audit log is broken at event {id}: {problem}. Contact whoever runs Laget.",
  },
};
