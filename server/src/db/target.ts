import path from "node:path";
import type { Config } from "../config.ts";
import type { DatabaseTarget } from "./connect.ts";

/** PostgreSQL when DATABASE_URL is set, otherwise embedded PGlite under DATA_DIR. */
export function databaseTargetFor(config: Config): DatabaseTarget {
  return config.databaseUrl
    ? { kind: "postgres", url: config.databaseUrl }
    : { kind: "pglite", dataDir: path.resolve(config.dataDir, "pglite") };
}
