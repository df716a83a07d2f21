/**
 * PostgreSQL's unique_violation (SQLSTATE 23505), from `pg` and PGlite alike: what a
 * unique index says when two concurrent requests both tried to create the one row.
 * Callers map it to a domain conflict; it must never surface as a 500.
 */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  if (e?.code !== "23505") return false;
  return constraint === undefined || e.constraint === constraint;
}
