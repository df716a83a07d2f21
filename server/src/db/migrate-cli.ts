import { parseConfig } from "../config.ts";
import { databaseTargetFor } from "./target.ts";
import { describeTarget, openDatabase } from "./connect.ts";
import { migrateToLatest } from "./migrate.ts";

// `pnpm db:migrate`: bring the configured database up to date and exit.
const config = parseConfig(process.env);
const target = databaseTargetFor(config);
const db = await openDatabase(target);
try {
  const applied = await migrateToLatest(db);
  console.log(
    applied.length
      ? `Applied ${applied.join(", ")} to ${describeTarget(target)}`
      : `${describeTarget(target)} is up to date`,
  );
} finally {
  await db.destroy();
}
