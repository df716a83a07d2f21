/**
 * `node server/src/db/pglite-initdb.ts <dataDir>`: creates an embedded database in an empty
 * data directory (PGlite runs initdb) and exits. openDatabase runs it in a child process
 * before it opens a new data directory: initdb runs in a second PGlite instance next to the
 * one that opens the directory, and the WebAssembly memory and compiled code both leave
 * behind would otherwise stay in the server for its lifetime: `pnpm bench:idle` measured a
 * fresh start's idle RSS after 30 s at ~417 MB with initdb in-process and ~312 MB with it
 * here, its peak at ~1.2 GB and ~860 MB; the first start takes ~0.7 s longer.
 */
import { PGlite } from "@electric-sql/pglite";
import { pgliteStartParams } from "./pglite-options.ts";

const dataDir = process.argv[2];
if (!dataDir) {
  console.error("usage: pglite-initdb.ts <dataDir>");
  process.exit(2);
}
const pglite = await PGlite.create(dataDir, { startParams: pgliteStartParams() });
await pglite.close();
