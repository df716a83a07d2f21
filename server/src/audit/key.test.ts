import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { ConfigError, parseConfig } from "../config.ts";
import { createLogger } from "../log.ts";
import { AUDIT_KEY_FILE, mac, resolveAuditKey, testAuditKey } from "./key.ts";

const log = createLogger("silent");
const dataDir = mkdtempSync(path.join(tmpdir(), "laget-audit-key-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test("on the embedded default the key is generated into DATA_DIR once, readable by the owner only, and kept", () => {
  const config = parseConfig({ NODE_ENV: "production", DATA_DIR: dataDir });
  const first = resolveAuditKey(config, log);
  expect(first).toMatch(/^[0-9a-f]{64}$/);
  const file = path.join(dataDir, AUDIT_KEY_FILE);
  expect(readFileSync(file, "utf8").trim()).toBe(first);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(resolveAuditKey(config, log)).toBe(first);
});

test("AUDIT_KEY wins over the file; tests without one get the test process's key", () => {
  const key = "k".repeat(40);
  expect(resolveAuditKey(parseConfig({ AUDIT_KEY: key, DATA_DIR: dataDir }), log)).toBe(key);
  expect(resolveAuditKey(parseConfig({ NODE_ENV: "test", DATABASE_URL: "postgres://x/y" }), log)).toBe(testAuditKey());
});

test("production on PostgreSQL refuses to start without AUDIT_KEY, and a short key is refused", () => {
  expect(() => parseConfig({ NODE_ENV: "production", DATABASE_URL: "postgres://db/laget" })).toThrow(ConfigError);
  expect(() => parseConfig({ NODE_ENV: "production", DATABASE_URL: "postgres://db/laget" })).toThrow(/AUDIT_KEY/);
  expect(() => parseConfig({ AUDIT_KEY: "short" })).toThrow(/AUDIT_KEY/);
  expect(parseConfig({ NODE_ENV: "production", DATABASE_URL: "postgres://db/laget", AUDIT_KEY: "k".repeat(32) }).auditKey).toBe("k".repeat(32));
});

test("the anchor is standard HMAC-SHA256, so anchors written before the pads were cached still verify", () => {
  for (const key of [Buffer.from("short"), Buffer.from("k".repeat(64)), Buffer.from("a-long-key-".repeat(10)), Buffer.from("ø".repeat(40))]) {
    for (const text of ["row:m:1:abc", "", "head:æøå:2:" + "f".repeat(64)]) {
      expect(mac(key, text)).toBe(createHmac("sha256", key).update(text).digest("hex"));
    }
  }
});
