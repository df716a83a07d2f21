import type { Widen } from "../types.ts";
import type { calendarNb } from "./calendar.nb.ts";

/** English texts of the calendar subscription: typed from bokmål, so a missing or extra key is a compile error. */
export const calendarEn: Widen<typeof calendarNb> = {
  calendar: {
    menuLink: "Calendar subscription",
    title: "Calendar subscription",
    intro:
      "Get your meetings in Outlook, Google Calendar or the calendar on your phone. Each address is secret and works without signing in, so do not share it. The calendar shows only the time, place and kind of meeting – never names, cases or minutes.",
    createHeading: "New address",
    name: "Name of the address",
    nameHint: "For example “Outlook at work” or “Phone”, so you know which one to revoke.",
    nameRequired: "Enter a name.",
    nameTooLong: "The name can have at most 100 characters.",
    create: "Create address",
    createdHeading: "The address is ready",
    createdNote: "Copy it now: it is shown only this once. If you lose it, create a new one and revoke this one.",
    urlLabel: "Address for “{name}”",
    copy: "Copy the address",
    copied: "Copied.",
    copyFailed: "Could not copy. The address is selected, so you can copy it yourself.",
    close: "Close",
    howToHeading: "How to add it",
    howToOutlook: "Outlook: Calendar → Add calendar → Subscribe from web, and paste the address.",
    howToGoogle: "Google Calendar: Other calendars → + → From URL, and paste the address. Google fetches changes a few times a day.",
    listHeading: "Your addresses",
    empty: "You have no calendar addresses.",
    colName: "Name",
    colCreated: "Created",
    colLastUsed: "Last used",
    colStatus: "Status",
    colActions: "Actions",
    neverUsed: "Never",
    active: "In use",
    revoked: "Revoked",
    revoke: "Revoke",
    revokeFor: "Revoke “{name}”",
    revokeQuestion: "Revoke “{name}”? Calendars using it will get no more meetings.",
    revokeConfirm: "Yes, revoke",
    revokedStatus: "“{name}” is revoked.",
  },
};
