/**
 * What a calendar entry is called (DESIGN.md §6): a neutral label by the meeting's kind,
 * in bokmål (the feed is Norwegian), never the series' title, which a coordinator types
 * and which may name a child or a family. A municipality's own kinds are "Møte": their
 * names are free text too.
 */
export const CALENDAR_NAME = "Laget – møter";

const kindLabelsNb: Record<string, string> = {
  flyt_mote: "Flyt-møte",
  ansvarsgruppe: "Møte i ansvarsgruppe",
  slt_koordineringsgruppe: "SLT-koordineringsgruppe",
  politirad: "Politiråd",
  forum: "Forum",
  overforingsmote: "Overføringsmøte",
  annet: "Møte",
};

export function summaryOfKind(kind: string): string {
  return Object.hasOwn(kindLabelsNb, kind) ? kindLabelsNb[kind]! : "Møte";
}
