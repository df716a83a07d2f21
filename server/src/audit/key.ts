import { hash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";

/**
 * The key that anchors the audit chain outside the database (DESIGN.md §4.5). Every
 * appended event and the chain head carry an HMAC with it; verify checks them, so that
 * someone with SQL access alone (who can recompute every hash and the head, or insert
 * rows through the chaining trigger) cannot rewrite history unnoticed. The database
 * never sees the key.
 *
 * Where the key comes from (see README, Configuration):
 * - AUDIT_KEY in the environment, always preferred;
 * - otherwise, in tests (NODE_ENV=test), one random key per test process;
 * - otherwise DATA_DIR/audit.key, created on first start (embedded default; also for
 *   PostgreSQL outside production). Production with PostgreSQL requires AUDIT_KEY
 *   (parseConfig refuses to start without it).
 *
 * One key per process: set once at start (startServer, createTestDb), read by
 * appendAudit and verifyAuditChain.
 */
let processKey: Buffer | null = null;
let testKey: string | null = null;

export const AUDIT_KEY_FILE = "audit.key";

export function useAuditKey(key: string): void {
  processKey = Buffer.from(key, "utf8");
}

export function auditKey(): Buffer {
  if (!processKey) throw new Error("No audit key in this process: startServer or createTestDb sets it");
  return processKey;
}

/** The test process's own key (random, the same for every server and child server it starts). */
export function testAuditKey(): string {
  return (testKey ??= randomBytes(32).toString("hex"));
}

export function resolveAuditKey(config: Config, log: Logger): string {
  if (config.auditKey) return config.auditKey;
  if (config.nodeEnv === "test") return testAuditKey();
  const file = path.join(config.dataDir, AUDIT_KEY_FILE);
  try {
    return readFileSync(file, "utf8").trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32).toString("hex");
  // "wx": never overwrite a key another process has just written.
  writeFileSync(file, key + "\n", { mode: 0o600, flag: "wx" });
  log.warn({ file }, `Generated the audit key in ${file}: keep a copy outside the database's backups (see README)`);
  return key;
}

/**
 * HMAC-SHA256 (RFC 2104) with the key's pads computed once: createHmac sets the key up on
 * every call, which costs five times the hashing itself when every audit row is signed.
 */
const BLOCK = 64;
const pads = new WeakMap<Buffer, { inner: Buffer; outer: Buffer }>();
function padsOf(key: Buffer): { inner: Buffer; outer: Buffer } {
  let p = pads.get(key);
  if (!p) {
    const k = Buffer.alloc(BLOCK);
    (key.length > BLOCK ? hash("sha256", key, "buffer") : key).copy(k);
    p = { inner: Buffer.from(k.map((b) => b ^ 0x36)), outer: Buffer.from(k.map((b) => b ^ 0x5c)) };
    pads.set(key, p);
  }
  return p;
}
export function mac(key: Buffer, text: string): string {
  const { inner, outer } = padsOf(key);
  return hash("sha256", Buffer.concat([outer, hash("sha256", Buffer.concat([inner, Buffer.from(text, "utf8")]), "buffer")]), "hex");
}

/** An event's anchor: its chain hash (which covers its fields and everything before it). */
export const rowMac = (key: Buffer, municipalityId: string, seq: number, hash: string) => mac(key, `row:${municipalityId}:${seq}:${hash}`);

/** The head's anchor: how long the chain is and where it ends. */
export const headMac = (key: Buffer, municipalityId: string, seq: number, hash: string) => mac(key, `head:${municipalityId}:${seq}:${hash}`);
