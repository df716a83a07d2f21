import { foldReads } from "@laget/domain";
import { ledUnitIds, mayVerifyAuditChain, type Basis } from "@laget/policy";
import { sql } from "kysely";
import type { Actor, AsActor } from "../auth/actor.ts";
import { authorizeCase, listVisibleCasesAudited, policyActor } from "../cases/access.ts";
import { loadSubjects } from "../cases/cases.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { appendAudit, verifyAuditChain } from "./log.ts";
import { auditPhraseNb, basisNb, osloTime, purposeNb } from "./phrases.ts";

export type AccessLogEntry = {
  id: number;
  at: Date;
  actorName: string | null;
  unitName: string | null;
  action: string;
  resourceType: string;
  basis: Basis | null;
  purpose: string | null;
};

/** "Who has seen this case": for its coordinator, from the audit log. Reading it is itself audited. */
export async function caseAccessLog({ db, actor, caseId }: AsActor & { caseId: string }): Promise<AccessLogEntry[]> {
  await authorizeCase(db, actor, caseId, {
    category: "identity",
    action: "read",
    purpose: "coordination",
    auditAction: "audit.case_log",
    resourceType: "audit_log",
    // The policy's rule: the coordinator reads it (mayReadAccessLog).
    rule: "readAccessLog",
  });
  const rows = await db
    .selectFrom("audit_events as e")
    .leftJoin("users as u", "u.id", "e.actor_user_id")
    .leftJoin("units as n", "n.id", "e.actor_unit_id")
    .select(["e.id", "e.at", "u.display_name", "n.name as unit_name", "e.action", "e.resource_type", "e.basis", "e.purpose"])
    .where("e.case_id", "=", caseId)
    .where("e.municipality_id", "=", actor.municipalityId)
    .orderBy("e.id", "desc")
    .limit(5000)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actorName: r.display_name,
    unitName: r.unit_name,
    action: r.action,
    resourceType: r.resource_type,
    basis: r.basis as Basis | null,
    purpose: r.purpose,
  }));
}

/**
 * The one cell escaping of the CSV export, safe to open in a spreadsheet: a value that a
 * spreadsheet would read as a formula (starting with =, +, -, @, a tab or a carriage
 * return) gets a leading apostrophe, and a value with a quote, separator or line break is quoted.
 */
export function csvCell(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const CSV_SEPARATOR = ";";
/** Excel reads a UTF-8 file as such only with a byte order mark, and `;` as the separator in Norway. */
const BOM = "\uFEFF";

/** The access log as CSV for the family or an archive: Norwegian headers and words, local time, identical reads folded. */
export function accessLogCsv(entries: readonly AccessLogEntry[]): string {
  const header = ["Tid", "Siste gang", "Person", "Enhet", "Handling", "Antall", "Grunnlag", "Formål"];
  const lines = foldReads(entries).map((e) =>
    [
      osloTime(e.count > 1 ? e.firstAt : e.at),
      e.count > 1 ? osloTime(e.at) : "",
      e.actorName ?? "Ukjent",
      e.unitName ?? "",
      auditPhraseNb(e.action),
      String(e.count),
      basisNb(e.basis, e.action),
      purposeNb(e.purpose),
    ]
      .map(csvCell)
      .join(CSV_SEPARATOR),
  );
  return BOM + [header.join(CSV_SEPARATOR), ...lines].join("\r\n") + "\r\n";
}

/** Checks the municipality's audit chain; for admins and leaders. */
export async function verifyChain({ db, actor }: AsActor) {
  if (!mayVerifyAuditChain(policyActor(actor))) throw new AppError("FORBIDDEN");
  const result = await verifyAuditChain(db, actor.municipalityId);
  await appendAudit(db, actor.municipalityId, [
    { actorUserId: actor.id, actorUnitId: null, action: "audit.verify", resourceType: "audit_log", resourceId: null, caseId: null, basis: null, purpose: null },
  ]);
  return result;
}

/**
 * How the review names a case: by its subjects where the leader may see the case
 * themselves (that look is audited), otherwise only as "case A", "case B" within this
 * review, so the leader can tell repeated access to one case apart without learning
 * anything about a case beyond their basis (not even its id).
 */
export type ReviewCaseRef = { visible: true; caseId: string; names: string[] } | { visible: false; letter: string } | null;

async function reviewCaseRefs(db: Db, actor: Actor, caseIds: readonly string[]): Promise<Map<string, ReviewCaseRef>> {
  const ids = [...new Set(caseIds)];
  const refs = new Map<string, ReviewCaseRef>();
  if (ids.length === 0) return refs;
  const visible = await listVisibleCasesAudited({ db, actor, caseIds: ids, purpose: "coordination", auditAction: "audit.access_review" });
  const subjects = await loadSubjects(db, [...visible.keys()]);
  let hidden = 0;
  for (const id of ids) {
    if (visible.has(id)) refs.set(id, { visible: true, caseId: id, names: (subjects.get(id) ?? []).map((s) => s.name) });
    else refs.set(id, { visible: false, letter: letterFor(hidden++) });
  }
  return refs;
}

/** A, B, … Z, AA, AB, …: a label that carries nothing but "the same case as before". */
function letterFor(n: number): string {
  let s = "";
  for (let i = n + 1; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

/**
 * A leader's review of access outside an active basis: disclosures made, reads on a
 * legal-basis disclosure and refused attempts, by people in the units they lead, in the leader's
 * own municipality only. Cases are named only as far as the leader may see them.
 */
export async function accessReview({ db, actor }: AsActor) {
  const units = ledUnitIds(policyActor(actor));
  if (units.length === 0) throw new AppError("FORBIDDEN");
  const members = db.selectFrom("memberships").select("user_id").where("unit_id", "in", units);
  const since = new Date(Date.now() - 90 * 24 * 60 * 60 * 1000);
  const rows = await db
    .selectFrom("audit_events as e")
    .leftJoin("users as u", "u.id", "e.actor_user_id")
    .leftJoin("units as n", "n.id", "e.actor_unit_id")
    .select(["e.id", "e.at", "u.display_name", "n.name as unit_name", "e.action", "e.resource_type", "e.case_id", "e.basis"])
    .where("e.municipality_id", "=", actor.municipalityId)
    .where("e.at", ">", since)
    .where((eb) => eb.or([eb("e.actor_unit_id", "in", units), eb("e.actor_user_id", "in", members)]))
    .where((eb) =>
      eb.or([eb("e.action", "like", "denied:%"), eb("e.action", "=", "disclosure.create"), eb(sql<string>`e.basis->>'kind'`, "=", "disclosure")]),
    )
    .orderBy("e.id", "desc")
    .limit(500)
    .execute();
  const refs = await reviewCaseRefs(db, actor, rows.flatMap((r) => (r.case_id ? [r.case_id] : [])));
  await appendAudit(db, actor.municipalityId, [
    { actorUserId: actor.id, actorUnitId: null, action: "audit.access_review", resourceType: "audit_log", resourceId: null, caseId: null, basis: null, purpose: null },
  ]);
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actorName: r.display_name,
    unitName: r.unit_name,
    action: r.action,
    resourceType: r.resource_type,
    case: r.case_id ? (refs.get(r.case_id) ?? null) : null,
    kind: r.action.startsWith("denied:") ? ("denied" as const) : ("disclosure" as const),
  }));
}
