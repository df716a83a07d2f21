import { z } from "zod";

const booleanFlag = z
  .enum(["1", "0", "true", "false", "on", "off", "yes", "no"])
  .transform((v) => ["1", "true", "on", "yes"].includes(v));

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional(),
  LAGET_DEMO: booleanFlag.optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  AUDIT_KEY: z.string().min(32, "must be at least 32 characters (e.g. openssl rand -hex 32)").optional(),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
    .refine((v) => {
      if (!URL.canParse(v)) return true; // reported by the check above
      const u = new URL(v);
      return (u.pathname === "/" || u.pathname === "") && !u.search && !u.hash && !u.username && !u.password;
    }, "must be an origin only (scheme, host and port), without a path")
    .optional(),
});

export type Config = {
  nodeEnv: "development" | "production" | "test";
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  redisUrl: string | undefined;
  /** Seed the demo municipality on an empty database. Default: on outside production. */
  demo: boolean;
  logLevel: string;
  /** Secure cookies only where TLS is expected. */
  secureCookies: boolean;
  /** The origin browsers reach the server at (from PUBLIC_URL); unset means http://localhost:PORT. */
  publicOrigin: string | undefined;
  /** Anchors the audit chain (audit/key.ts); unset means DATA_DIR/audit.key, or a per-process key in tests. */
  auditKey: string | undefined;
};

export class ConfigError extends Error {}

/** Parses the environment once. Empty strings count as unset, as shells often leave them. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = String(issue.path[0] ?? "environment");
    throw new ConfigError(`Invalid configuration: ${variable} ${issue.message}`);
  }
  const e = result.data;
  // A server on PostgreSQL in production keeps its audit key outside the database's host.
  if (e.NODE_ENV === "production" && e.DATABASE_URL && !e.AUDIT_KEY) {
    throw new ConfigError("Invalid configuration: AUDIT_KEY is required in production with DATABASE_URL");
  }
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    redisUrl: e.REDIS_URL,
    demo: e.LAGET_DEMO ?? e.NODE_ENV !== "production",
    logLevel: e.LOG_LEVEL,
    secureCookies: e.NODE_ENV === "production",
    publicOrigin: e.PUBLIC_URL === undefined ? undefined : new URL(e.PUBLIC_URL).origin,
    auditKey: e.AUDIT_KEY,
  };
}
