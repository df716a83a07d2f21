/**
 * The text an audit event's hash covers, formatted in the server exactly as the database's
 * audit_event_payload (migration 0002) formats it: json_build_array of the event's fields,
 * the time in UTC with microseconds, the basis as jsonb prints it (keys by length, then
 * bytes; ", " and ": " between). Verify recomputes the payload with the SQL function, so a
 * difference can never pass unnoticed; payload.test.ts compares the two on random events.
 */
export type PayloadFields = {
  municipality_id: string;
  seq: number;
  /** "YYYY-MM-DDTHH:MM:SS.ffffffZ" */
  at: string;
  actor_user_id: string | null;
  actor_unit_id: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  case_id: string | null;
  basis: unknown;
  purpose: string | null;
};

const text = (value: string | null) => (value === null ? "null" : JSON.stringify(value));

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** jsonb's key order: by length in bytes, then bytes. ASCII keys (every key the server writes) without encoding them. */
function jsonbKeyOrder(a: string, b: string): number {
  if (isAscii(a) && isAscii(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** A JSON value as PostgreSQL's jsonb prints it. */
export function jsonbText(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    // jsonb keeps numbers as numeric; only integers print the same in both, and only they occur.
    if (!Number.isSafeInteger(value)) throw new TypeError(`audit basis holds a number jsonb would print differently: ${value}`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => jsonbKeyOrder(a, b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${jsonbText(v)}`).join(", ")}}`;
  }
  throw new TypeError(`audit basis holds a value JSON cannot: ${typeof value}`);
}

export function auditPayload(e: PayloadFields): string {
  return `[${[
    text(e.municipality_id),
    String(e.seq),
    text(e.at),
    text(e.actor_user_id),
    text(e.actor_unit_id),
    text(e.action),
    text(e.resource_type),
    text(e.resource_id),
    text(e.case_id),
    e.basis === null || e.basis === undefined ? "null" : jsonbText(e.basis),
    text(e.purpose),
  ].join(", ")}]`;
}

/** A time as the payload prints it: UTC, microseconds (a JS time has milliseconds). */
export function payloadTime(at: Date): string {
  return at.toISOString().replace(/Z$/, "000Z");
}
