import type { Basis } from "@laget/policy";
import { sql } from "kysely";
import type { Actor } from "../auth/actor.ts";
import { authorizeCase } from "../cases/access.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { appendAudit, verifyAuditChain } from "./log.ts";

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
export async function caseAccessLog(db: Db, actor: Actor, caseId: string): Promise<AccessLogEntry[]> {
  const access = await authorizeCase(db, actor, caseId, {
    category: "identity",
    action: "read",
    purpose: "coordination",
    auditAction: "audit.case_log",
    resourceType: "audit_log",
  });
  if (access.facts.coordinatorUserId !== actor.id) throw new AppError("NOT_COORDINATOR");
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
 * One CSV cell, safe to open in a spreadsheet: a value that a spreadsheet would read as
 * a formula (starting with =, +, -, @, a tab or a carriage return) gets a leading
 * apostrophe, and a value with a quote, separator or line break is quoted.
 */
export function csvCell(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The access log as CSV (for the family, or an archive). */
export function accessLogCsv(entries: readonly AccessLogEntry[]): string {
  const header = ["time", "person", "unit", "action", "resource", "basis", "purpose"];
  const lines = entries.map((e) =>
    [
      e.at.toISOString(),
      e.actorName ?? "",
      e.unitName ?? "",
      e.action,
      e.resourceType,
      e.basis ? (e.basis.kind === "consent" ? `consent ${e.basis.consentId} v${e.basis.consentVersion}` : e.basis.kind === "disclosure" ? `disclosure ${e.basis.disclosureId}` : "own unit") : "none",
      e.purpose ?? "",
    ]
      .map(csvCell)
      .join(","),
  );
  return [header.join(","), ...lines].join("\n") + "\n";
}

/** Checks the municipality's audit chain; for admins and leaders. */
export async function verifyChain(db: Db, actor: Actor) {
  if (!actor.memberships.some((m) => m.role === "admin" || m.role === "leader")) throw new AppError("FORBIDDEN");
  const result = await verifyAuditChain(db, actor.municipalityId);
  await appendAudit(db, actor.municipalityId, [
    { actorUserId: actor.id, actorUnitId: null, action: "audit.verify", resourceType: "audit_log", resourceId: null, caseId: null, basis: null, purpose: null },
  ]);
  return result;
}

/**
 * A leader's review of access outside an active basis: reads on a legal-basis
 * disclosure and refused attempts, by people in the units they lead. Cases by id only.
 */
export async function accessReview(db: Db, actor: Actor) {
  const units = actor.memberships.filter((m) => m.role === "leader").map((m) => m.unitId);
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
    .where((eb) => eb.or([eb("e.action", "like", "denied:%"), eb(sql<string>`e.basis->>'kind'`, "=", "disclosure")]))
    .orderBy("e.id", "desc")
    .limit(500)
    .execute();
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
    caseId: r.case_id,
    kind: r.action.startsWith("denied:") ? ("denied" as const) : ("disclosure" as const),
  }));
}
