import * as Y from "yjs";

/**
 * The live shared action plan (tiltaksplan, "Familiens plan") as a Yjs document, shared
 * by server and client. Everything in the document is plain data under four top-level
 * types; every reader goes through `readPlan`, which never trusts the document: a
 * client may have written anything, so invalid entries are skipped or repaired, never
 * thrown on.
 *
 *   domains   Y.Map<id, Y.Map{name, order}>   life domains (Arbeid, Bolig, …)
 *   goals     Y.Map<id, Y.Map{text, domainId, order, createdAt}>  the family's own words
 *   measures  Y.Map<id, Y.Map{…Measure}>       tiltak: who does what, by when
 *   notes     Y.XmlFragment                   rich text, bound to TipTap/ProseMirror
 *
 * Keyed maps (not arrays) so that an entry is addressed by id, concurrent edits of
 * different fields of one measure merge, and two nodes seeding the same default
 * domain cannot duplicate it.
 */

export const PLAN_SCHEMA_VERSION = 1;
export const PLAN_DOCUMENT_PREFIX = "plan:";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The one spelling of a plan's name: the prefix and the case id in lower case, nothing else. */
const CANONICAL_PLAN_NAME = /^plan:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The Hocuspocus document name of a case's plan: its only name (case ids are stored in lower case). */
export function planDocumentName(caseId: string): string {
  return `${PLAN_DOCUMENT_PREFIX}${caseId.toLowerCase()}`;
}

/**
 * The case id of a plan document name, or null for anything else: only the canonical
 * name counts (`plan:` and a lower-case uuid), so one plan can never be open under two
 * names (an upper-case spelling would be a second document that revocation never sees).
 */
export function caseIdOfDocument(documentName: string): string | null {
  return CANONICAL_PLAN_NAME.test(documentName) ? documentName.slice(PLAN_DOCUMENT_PREFIX.length) : null;
}

export const isUuid = (value: unknown): value is string => typeof value === "string" && UUID.test(value);

/** planlagt, i gang, fullført, avsluttet. */
export const measureStatuses = ["planned", "in_progress", "completed", "ended"] as const;
export type MeasureStatus = (typeof measureStatuses)[number];

export type Domain = { id: string; name: string; order: number };

/** Defaults for a municipality that has configured none. */
export const defaultDomains: readonly Domain[] = [
  { id: "arbeid", name: "Arbeid", order: 0 },
  { id: "bolig", name: "Bolig", order: 1 },
  { id: "okonomi", name: "Økonomi", order: 2 },
  { id: "barnas-situasjon", name: "Barnas situasjon", order: 3 },
  { id: "helse", name: "Helse", order: 4 },
  { id: "skole-og-barnehage", name: "Skole og barnehage", order: 5 },
  { id: "fritid", name: "Fritid", order: 6 },
];

export type Goal = { id: string; text: string; domainId: string | null; order: number; createdAt: string };

/** Where a measure was decided, when a meeting decided it (DESIGN.md §6): the link back. */
export type MeasureSource = { meetingId: string; agendaItemId: string; outcomeId: string };

/** Dates are calendar days, "YYYY-MM-DD". */
export type Measure = {
  id: string;
  domainId: string | null;
  goalId: string | null;
  title: string;
  description: string;
  responsibleUnitId: string | null;
  responsiblePersonId: string | null;
  start: string | null;
  deadline: string | null;
  evaluationDate: string | null;
  status: MeasureStatus;
  evaluationNote: string;
  order: number;
  createdAt: string;
  /** The meeting that decided it; absent for a measure written in the plan itself (and in older documents). */
  source?: MeasureSource;
};

export type Plan = {
  schemaVersion: number;
  domains: Domain[];
  goals: Goal[];
  measures: Measure[];
  /** How many entries readPlan had to skip because they could not be read at all. */
  skipped: number;
};

export type MeasureInput = {
  title: string;
  description?: string;
  domainId?: string | null;
  goalId?: string | null;
  responsibleUnitId?: string | null;
  responsiblePersonId?: string | null;
  start?: string | null;
  deadline?: string | null;
  evaluationDate?: string | null;
  status?: MeasureStatus;
  evaluationNote?: string;
};
export type MeasurePatch = Partial<MeasureInput>;

export const MAX_TITLE = 200;
export const MAX_TEXT = 10_000;
/** Entry ids (map keys) longer than this are skipped. */
export const MAX_ID = 100;

export class PlanValidationError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = "PlanValidationError";
    this.field = field;
  }
}

// ---------------------------------------------------------------------------
// Access to the top-level types

export const planTypes = {
  meta: (doc: Y.Doc) => doc.getMap<unknown>("meta"),
  domains: (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>("domains"),
  goals: (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>("goals"),
  measures: (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>("measures"),
  /** Bind the editor to this (TipTap's Collaboration extension: `field: "notes"`). */
  notes: (doc: Y.Doc) => doc.getXmlFragment("notes"),
};
export const NOTES_FIELD = "notes";

// ---------------------------------------------------------------------------
// Field readers: each returns a valid value or a default, never throws

const str = (v: unknown, max = MAX_TEXT): string | null => (typeof v === "string" ? v.slice(0, max) : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isCalendarDay(value: unknown): value is string {
  if (typeof value !== "string" || !DAY.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
const day = (v: unknown): string | null => (isCalendarDay(v) ? v : null);
const uuidOrNull = (v: unknown): string | null => (isUuid(v) ? v.toLowerCase() : null);
/** A source as written by addMeasure, or nothing: anything else in the field is ignored. */
function source(v: unknown): MeasureSource | undefined {
  if (typeof v !== "object" || v === null) return undefined;
  const o = v as Record<string, unknown>;
  return isUuid(o.meetingId) && isUuid(o.agendaItemId) && isUuid(o.outcomeId)
    ? { meetingId: o.meetingId.toLowerCase(), agendaItemId: o.agendaItemId.toLowerCase(), outcomeId: o.outcomeId.toLowerCase() }
    : undefined;
}
const status = (v: unknown): MeasureStatus => (measureStatuses.includes(v as MeasureStatus) ? (v as MeasureStatus) : "planned");

function entries(map: Y.Map<unknown>): [string, Y.Map<unknown>][] {
  const out: [string, Y.Map<unknown>][] = [];
  for (const [key, value] of map.entries()) {
    if (value instanceof Y.Map && key.length <= MAX_ID) out.push([key, value]);
  }
  return out;
}

const byOrder = <T extends { order: number; id: string }>(a: T, b: T) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Reads the whole plan. Never throws on content: an entry that is not a map, or a
 * goal without text, or a measure without a title, is skipped (and counted);
 * any other invalid field is read as its default (unknown status → planned, a
 * malformed date → none, a foreign reference → none).
 */
export function readPlan(doc: Y.Doc): Plan {
  let skipped = 0;
  // A type already used locally as another kind (only possible in-process) reads as empty.
  const empty = new Y.Map<unknown>();
  const safely = (get: () => Y.Map<unknown>): Y.Map<unknown> => {
    try {
      return get();
    } catch {
      skipped++;
      return empty;
    }
  };
  const countSkipped = (map: Y.Map<unknown>) => {
    for (const [key, value] of map.entries()) if (!(value instanceof Y.Map) || key.length > MAX_ID) skipped++;
  };

  const domainsMap = safely(() => planTypes.domains(doc) as Y.Map<unknown>);
  countSkipped(domainsMap);
  const domains: Domain[] = [];
  for (const [id, m] of entries(domainsMap)) {
    const name = str(m.get("name"), MAX_TITLE)?.trim();
    if (!name) {
      skipped++;
      continue;
    }
    domains.push({ id, name, order: num(m.get("order")) ?? 0 });
  }
  domains.sort(byOrder);
  const domainIds = new Set(domains.map((d) => d.id));
  const domainRef = (v: unknown) => (typeof v === "string" && domainIds.has(v) ? v : null);

  const goalsMap = safely(() => planTypes.goals(doc) as Y.Map<unknown>);
  countSkipped(goalsMap);
  const goals: Goal[] = [];
  for (const [id, m] of entries(goalsMap)) {
    const text = str(m.get("text"));
    if (text === null || text.trim() === "") {
      skipped++;
      continue;
    }
    goals.push({ id, text, domainId: domainRef(m.get("domainId")), order: num(m.get("order")) ?? 0, createdAt: str(m.get("createdAt"), 40) ?? "" });
  }
  goals.sort(byOrder);
  const goalIds = new Set(goals.map((g) => g.id));

  const measuresMap = safely(() => planTypes.measures(doc) as Y.Map<unknown>);
  countSkipped(measuresMap);
  const measures: Measure[] = [];
  for (const [id, m] of entries(measuresMap)) {
    const title = str(m.get("title"), MAX_TITLE)?.trim();
    if (!title) {
      skipped++;
      continue;
    }
    const goalId = m.get("goalId");
    const from = source(m.get("source"));
    measures.push({
      id,
      domainId: domainRef(m.get("domainId")),
      goalId: typeof goalId === "string" && goalIds.has(goalId) ? goalId : null,
      title,
      description: str(m.get("description")) ?? "",
      responsibleUnitId: uuidOrNull(m.get("responsibleUnitId")),
      responsiblePersonId: uuidOrNull(m.get("responsiblePersonId")),
      start: day(m.get("start")),
      deadline: day(m.get("deadline")),
      evaluationDate: day(m.get("evaluationDate")),
      status: status(m.get("status")),
      evaluationNote: str(m.get("evaluationNote")) ?? "",
      order: num(m.get("order")) ?? 0,
      createdAt: str(m.get("createdAt"), 40) ?? "",
      ...(from ? { source: from } : {}),
    });
  }
  measures.sort(byOrder);

  return { schemaVersion: num(safely(() => planTypes.meta(doc)).get("schemaVersion")) ?? PLAN_SCHEMA_VERSION, domains, goals, measures, skipped };
}

/** The notes as plain text (paragraphs on lines), for search and exports. */
export function notesText(doc: Y.Doc): string {
  const lines: string[] = [];
  const walk = (node: Y.XmlElement | Y.XmlFragment | Y.XmlText) => {
    if (node instanceof Y.XmlText) {
      lines.push(node.toString().replace(/<[^>]*>/g, ""));
      return;
    }
    for (const child of node.toArray()) walk(child as Y.XmlElement | Y.XmlText);
  };
  walk(planTypes.notes(doc));
  return lines.join("\n");
}

// ---------------------------------------------------------------------------
// Writers: validate, then change the document in one transaction

function nextOrder(map: Y.Map<Y.Map<unknown>>): number {
  let max = -1;
  for (const value of map.values()) {
    const o = value instanceof Y.Map ? num(value.get("order")) : null;
    if (o !== null && o > max) max = o;
  }
  return max + 1;
}

function newId(): string {
  return globalThis.crypto.randomUUID();
}

function requireText(field: string, value: unknown, max: number, allowEmpty = false): string {
  if (typeof value !== "string") throw new PlanValidationError(field, "must be text");
  const trimmed = field === "title" || field === "name" ? value.trim() : value;
  if (!allowEmpty && trimmed.trim() === "") throw new PlanValidationError(field, "must not be empty");
  if (trimmed.length > max) throw new PlanValidationError(field, `at most ${max} characters`);
  return trimmed;
}

function optionalDay(field: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (!isCalendarDay(value)) throw new PlanValidationError(field, "must be a date YYYY-MM-DD");
  return value;
}

function optionalUuid(field: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (!isUuid(value)) throw new PlanValidationError(field, "must be an id");
  return value.toLowerCase();
}

/** Validates a patch into the fields it sets (only those present). */
function measureFields(patch: MeasurePatch, doc: Y.Doc): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (patch.title !== undefined) out.title = requireText("title", patch.title, MAX_TITLE);
  if (patch.description !== undefined) out.description = requireText("description", patch.description, MAX_TEXT, true);
  if (patch.evaluationNote !== undefined) out.evaluationNote = requireText("evaluationNote", patch.evaluationNote, MAX_TEXT, true);
  if (patch.domainId !== undefined) {
    if (patch.domainId !== null && !(planTypes.domains(doc).get(patch.domainId) instanceof Y.Map)) {
      throw new PlanValidationError("domainId", "unknown domain");
    }
    out.domainId = patch.domainId;
  }
  if (patch.goalId !== undefined) {
    if (patch.goalId !== null && !(planTypes.goals(doc).get(patch.goalId) instanceof Y.Map)) {
      throw new PlanValidationError("goalId", "unknown goal");
    }
    out.goalId = patch.goalId;
  }
  if (patch.responsibleUnitId !== undefined) out.responsibleUnitId = optionalUuid("responsibleUnitId", patch.responsibleUnitId);
  if (patch.responsiblePersonId !== undefined) out.responsiblePersonId = optionalUuid("responsiblePersonId", patch.responsiblePersonId);
  for (const field of ["start", "deadline", "evaluationDate"] as const) {
    if (patch[field] !== undefined) out[field] = optionalDay(field, patch[field]);
  }
  if (patch.status !== undefined) {
    if (!measureStatuses.includes(patch.status)) throw new PlanValidationError("status", "unknown status");
    out.status = patch.status;
  }
  return out;
}

/**
 * Prepares a new document: the schema version and the given domains, if it has
 * none yet. Idempotent, and safe to run on two nodes at once (same keys).
 */
export function initPlan(doc: Y.Doc, domains: readonly Domain[] = defaultDomains): void {
  const meta = planTypes.meta(doc);
  const map = planTypes.domains(doc);
  if (meta.get("schemaVersion") !== undefined && map.size > 0) return;
  doc.transact(() => {
    if (meta.get("schemaVersion") === undefined) meta.set("schemaVersion", PLAN_SCHEMA_VERSION);
    if (map.size === 0) for (const d of domains) setDomain(doc, d);
  });
}

export function setDomain(doc: Y.Doc, domain: { id: string; name: string; order?: number }): void {
  const name = requireText("name", domain.name, MAX_TITLE);
  if (!/^[a-z0-9-]{1,60}$/.test(domain.id)) throw new PlanValidationError("id", "lower-case letters, digits and dashes");
  const map = planTypes.domains(doc);
  doc.transact(() => {
    const existing = map.get(domain.id);
    const m = existing instanceof Y.Map ? existing : new Y.Map<unknown>();
    if (!(existing instanceof Y.Map)) map.set(domain.id, m);
    m.set("name", name);
    m.set("order", domain.order ?? (existing instanceof Y.Map ? (num(existing.get("order")) ?? 0) : nextOrder(map)));
  });
}

export function addGoal(doc: Y.Doc, input: { text: string; domainId?: string | null }): string {
  const text = requireText("text", input.text, MAX_TEXT);
  const domainId = input.domainId ?? null;
  if (domainId !== null && !(planTypes.domains(doc).get(domainId) instanceof Y.Map)) throw new PlanValidationError("domainId", "unknown domain");
  const id = newId();
  const goals = planTypes.goals(doc);
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    goals.set(id, m);
    m.set("text", text);
    m.set("domainId", domainId);
    m.set("order", nextOrder(goals));
    m.set("createdAt", new Date().toISOString());
  });
  return id;
}

export function updateGoal(doc: Y.Doc, id: string, patch: { text?: string; domainId?: string | null }): void {
  const m = planTypes.goals(doc).get(id);
  if (!(m instanceof Y.Map)) throw new PlanValidationError("id", "unknown goal");
  const text = patch.text === undefined ? undefined : requireText("text", patch.text, MAX_TEXT);
  if (patch.domainId && !(planTypes.domains(doc).get(patch.domainId) instanceof Y.Map)) throw new PlanValidationError("domainId", "unknown domain");
  doc.transact(() => {
    if (text !== undefined) m.set("text", text);
    if (patch.domainId !== undefined) m.set("domainId", patch.domainId);
  });
}

export function removeGoal(doc: Y.Doc, id: string): void {
  planTypes.goals(doc).delete(id);
}

/**
 * Adds a measure. `source`: the meeting outcome it comes from (written once, by the server
 * when a meeting's action becomes a measure; never changed by a patch).
 */
export function addMeasure(doc: Y.Doc, input: MeasureInput & { source?: MeasureSource }): string {
  if (input.title === undefined) throw new PlanValidationError("title", "is required");
  const { source: from, ...rest } = input;
  const fields = measureFields(rest, doc);
  if (from !== undefined) {
    if (!isUuid(from.meetingId) || !isUuid(from.agendaItemId) || !isUuid(from.outcomeId)) throw new PlanValidationError("source", "must name a meeting, an item and an outcome by id");
    fields.source = { meetingId: from.meetingId.toLowerCase(), agendaItemId: from.agendaItemId.toLowerCase(), outcomeId: from.outcomeId.toLowerCase() };
  }
  const id = newId();
  const measures = planTypes.measures(doc);
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    measures.set(id, m);
    const defaults: Record<string, unknown> = {
      description: "",
      domainId: null,
      goalId: null,
      responsibleUnitId: null,
      responsiblePersonId: null,
      start: null,
      deadline: null,
      evaluationDate: null,
      status: "planned",
      evaluationNote: "",
    };
    for (const [key, value] of Object.entries({ ...defaults, ...fields })) m.set(key, value);
    m.set("order", nextOrder(measures));
    m.set("createdAt", new Date().toISOString());
  });
  return id;
}

/** Sets only the fields in the patch, so concurrent edits of other fields survive. */
export function updateMeasure(doc: Y.Doc, id: string, patch: MeasurePatch): void {
  const m = planTypes.measures(doc).get(id);
  if (!(m instanceof Y.Map)) throw new PlanValidationError("id", "unknown measure");
  const fields = measureFields(patch, doc);
  doc.transact(() => {
    for (const [key, value] of Object.entries(fields)) m.set(key, value);
  });
}

export function removeMeasure(doc: Y.Doc, id: string): void {
  planTypes.measures(doc).delete(id);
}

/**
 * Replaces the plan's content with another document's, as one new change in `target`
 * (a restore: history is kept, every client receives it as an ordinary update).
 * Only the plan's own types are copied; the notes keep their rich structure.
 */
export function replacePlanContent(target: Y.Doc, source: Y.Doc, origin?: unknown): void {
  target.transact(() => {
    for (const name of ["domains", "goals", "measures"] as const) {
      const to = planTypes[name](target);
      const from = planTypes[name](source);
      for (const key of [...to.keys()]) to.delete(key);
      for (const [key, value] of from.entries()) {
        if (value instanceof Y.Map) to.set(key, value.clone());
      }
    }
    const meta = planTypes.meta(target);
    const fromMeta = planTypes.meta(source);
    for (const [key, value] of fromMeta.entries()) if (typeof value !== "object" || value === null) meta.set(key, value);
    const notes = planTypes.notes(target);
    notes.delete(0, notes.length);
    const copies = planTypes
      .notes(source)
      .toArray()
      .filter((node): node is Y.XmlElement | Y.XmlText => node instanceof Y.XmlElement || node instanceof Y.XmlText)
      .map((node) => node.clone());
    if (copies.length) notes.insert(0, copies);
  }, origin);
}
