import type { Basis } from "@laget/policy";

/**
 * The access log in plain Norwegian (bokmål), for the CSV a family or an archive gets.
 * The screen says the same through the client's i18n catalog (auditAction.*): keep the
 * two in step when an audited action is added.
 */
export const auditPhrasesNb: Record<string, string> = {
  "case.read": "Åpnet saken",
  "case.list": "Så saken i en liste",
  "case.create": "Opprettet saken",
  "case.update": "Endret saken",
  "case.close": "Avsluttet saken",
  "case.subject.add": "La til en person i saken",
  "case.participant.add": "La til en deltaker i saken",
  "case.participant.remove": "Fjernet en deltaker fra saken",
  "case.audience": "Så hvem som kan se saken",
  "case.handover.propose": "Foreslo ny stafettholder",
  "case.handover.accept": "Tok over som stafettholder",
  "case.handover.decline": "Takket nei til å bli stafettholder",
  "case.handover.withdraw": "Trakk tilbake forslaget om ny stafettholder",
  "case.handover.history": "Så overleveringene i saken",
  "note.create": "Skrev et notat",
  "note.read": "Leste notat",
  "note.edit": "Endret et notat",
  "note.history": "Så tidligere versjoner av et notat",
  "audit.verify": "Kontrollerte loggen",
  "audit.access_review": "Gjennomgikk tilgangsloggen",
  "note.version.read": "Leste en tidligere versjon av et notat",
  "case.watch": "Hadde saken åpen",
  "plan.watch": "Hadde en kopi av tiltaksplanen lagret på PC-en eller mobilen",
  "consent.list": "Så samtykkene",
  "consent.create": "Registrerte samtykke",
  "consent.activate": "Aktiverte samtykke",
  "consent.withdraw": "Trakk tilbake samtykke",
  "consent.request": "Markerte samtykke som sendt til familien",
  "consent.refuse": "Registrerte avslag på samtykke",
  "consent.invalidate": "Registrerte samtykke som ugyldig",
  "consent.revise": "Registrerte ny versjon av samtykke",
  "consent.delete_draft": "Slettet utkast til samtykke",
  "disclosure.create": "Registrerte opplysning etter lov",
  "disclosure.list": "Så opplysninger etter lov",
  "disclosure.revoke": "Trakk tilbake opplysning etter lov",
  "disclosure.review_read": "Leste opplysning etter lov til gjennomgang",
  "disclosure.review.approved": "Godkjente opplysning etter lov",
  "disclosure.review.questioned": "Stilte spørsmål ved opplysning etter lov",
  "audit.case_log": "Så tilgangsloggen",
  "conversation.open": "Åpnet samtalen",
  "conversation.read": "Leste samtalen",
  "conversation.list": "Så samtalen i en liste",
  "conversation.sync": "Hentet meldinger i samtalen",
  "conversation.members": "Så hvem som er med i samtalen",
  "message.create": "Skrev en melding",
  "message.edit": "Endret en melding",
  "message.delete": "Slettet en melding",
  "message.history": "Så tidligere versjoner av en melding",
  "message.deliver": "Fikk en melding levert",
  "message.deliver_edit": "Fikk en endret melding levert",
  "message.deliver_delete": "Fikk beskjed om en slettet melding",
  "plan.connect": "Åpnet tiltaksplanen",
  "plan.open": "Åpnet tiltaksplanen",
  "plan.update": "Endret tiltaksplanen",
  "plan.transact": "Endret tiltaksplanen fra en annen del av Laget (for eksempel et møtevedtak)",
  "plan.revisions": "Så tidligere versjoner av tiltaksplanen",
  "plan.restore": "Gjenopprettet en tidligere versjon av tiltaksplanen",
  "plan.my_measures": "Så tiltakene sine i «Mine tiltak»",
  "calendar.token.create": "Laget en kalenderadresse",
  "calendar.token.revoke": "Trakk tilbake en kalenderadresse",
  "calendar.feed.read": "Kalenderen hentet møtene",
  "meeting.ics_download": "Lastet ned et møte til kalenderen",
  "meeting_series.create": "Opprettet en møteserie",
  "meeting_series.read": "Åpnet en møteserie",
  "meeting_series.update": "Endret en møteserie",
  "meeting_series.split": "Endret et møte og de neste i serien",
  "meeting_series.cancel": "Avlyste en møteserie",
  "meeting.list": "Så møtene sine i kalenderen",
  "meeting.open": "Åpnet et møte",
  "meeting.read": "Åpnet et møte",
  "meeting.update": "Flyttet, endret eller avlyste ett møte",
  "meeting.attendance": "Registrerte oppmøte på et møte",
  "agenda.list": "Så dagsordenen for et møte",
  "agenda.read": "Så saken på dagsordenen for et møte",
  "agenda.eligibility": "Sjekket om saken kan settes på dagsordenen for et møte",
  "agenda.add_case": "Satte saken på dagsordenen for et møte",
  "agenda.add_anonymous": "Satte saken anonymt på dagsordenen for et møte",
  "agenda.promote": "Gjorde en anonym drøfting til oppfølging av saken med navn",
  "agenda.remove": "Fjernet saken fra dagsordenen for et møte",
  "agenda.carry_over": "Flyttet saken til neste møte",
  "agenda.of_case": "Så møtene der saken er drøftet",
  "agenda.print": "Skrev ut referatet fra et møte",
  "minutes.connect": "Åpnet referatet fra et møte",
  "minutes.update": "Skrev i referatet fra et møte",
  "minutes.transact": "Endret referatet fra et møte fra en annen del av Laget",
  "minutes.versions": "Så godkjente versjoner av referatet fra et møte",
  "minutes.submit": "Sendte referatet fra et møte til gjennomgang",
  "minutes.return": "Sendte referatet fra et møte tilbake til utkast",
  "minutes.approve": "Godkjente referatet fra et møte",
  "minutes.reopen": "Åpnet et godkjent referat for retting",
  "referral.recipients": "Så hvem barnet kan henvises til",
  "referral.prefill": "Hentet fornavn og alder til en henvisning",
  "referral.create": "Opprettet en henvisning",
  "referral.send": "Sendte en henvisning",
  "referral.claim": "Tok imot en henvisning",
  "referral.accept": "Takket ja til en henvisning",
  "referral.decline": "Takket nei til en henvisning",
  "referral.hold": "Satte en henvisning på venteliste",
  "referral.start": "Registrerte at tilbudet i en henvisning er i gang",
  "referral.complete": "Registrerte en henvisning som fullført",
  "referral.fail": "Registrerte at en henvisning ikke ble noe av",
  "referral.cancel": "Trakk tilbake en henvisning",
  "referral.read": "Åpnet en henvisning",
  "referral.list": "Så en henvisning i en liste",
  "referral.for_case": "Så henvisningene fra saken",
  "referral.consent_moved": "Henvisningen bygger nå på den nye versjonen av samtykket",
  "offer.create": "La inn et tilbud i tilbudsoversikten",
  "offer.update": "Endret et tilbud i tilbudsoversikten",
  "offer.archive": "Tok et tilbud ut av tilbudsoversikten",
  "referral.feedback.record": "Registrerte familiens tilbakemelding på en henvisning",
  "referral.feedback.list": "Så tilbakemeldingene på et tilbud",
  "referral.settings.update": "Endret svarfristen for henvisninger",
};

/** "Leste notat"; a refusal says what was tried ("Avvist forsøk: Åpnet saken"); an unknown code stays as it is. */
export function auditPhraseNb(action: string): string {
  if (action.startsWith("denied:")) return `Avvist forsøk: ${auditPhraseNb(action.slice("denied:".length))}`;
  return auditPhrasesNb[action] ?? action;
}

const purposesNb: Record<string, string> = {
  coordination: "Samordning",
  meeting: "Møte",
  referral: "Henvisning",
  slt_followup: "SLT-oppfølging",
};
export const purposeNb = (purpose: string | null) => (purpose ? (purposesNb[purpose] ?? purpose) : "");

/** The basis in words; a refused step has none ("Ingen – avvist"), a step that needs none is left empty. */
export function basisNb(basis: Basis | null, action: string): string {
  if (!basis) return action.startsWith("denied:") ? "Ingen – avvist" : "";
  if (basis.kind === "consent") return `Samtykke, versjon ${basis.consentVersion}`;
  return basis.kind === "disclosure" ? "Opplysning etter lov" : "Egen enhet";
}

const osloParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Oslo",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** Local time in Norway, as Excel reads it: "2026-03-29 14:05:09". */
export function osloTime(at: Date): string {
  const p = Object.fromEntries(osloParts.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}
