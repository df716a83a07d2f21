import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import type * as childProcess from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, expect, test, vi } from "vitest";
import { initEmbeddedDataDir, openDatabase } from "./connect.ts";

// Counts the child processes connect.ts starts (execFile passes through unchanged).
const children = vi.hoisted(() => ({ started: 0 }));
vi.mock("node:child_process", async (importOriginal) => {
  const original = await importOriginal<typeof childProcess>();
  const execFile = ((...args: Parameters<typeof original.execFile>) => {
    children.started += 1;
    return original.execFile(...args);
  }) as typeof original.execFile;
  return { ...original, execFile };
});

const root = mkdtempSync(path.join(tmpdir(), "laget-initdb-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const MB = 1024 * 1024;

test("a new data directory is created by initdb outside this process, which only opens it; it opens again with its data", async () => {
  const dataDir = path.join(root, "new", "pglite");
  const external = process.memoryUsage().external;
  const before = children.started;
  const db = await openDatabase({ kind: "pglite", dataDir });
  try {
    expect(children.started - before, "initdb ran in a child process").toBe(1);
    // One PGlite's WebAssembly memory (128 MB) in this process: initdb in here would add its
    // own instance and the initdb module's memory (over 300 MB until they are collected).
    expect((process.memoryUsage().external - external) / MB).toBeLessThan(200);
    expect(existsSync(path.join(dataDir, "PG_VERSION"))).toBe(true);
    await sql`create table kept (id int)`.execute(db);
    await sql`insert into kept values (1)`.execute(db);
  } finally {
    await db.destroy();
  }
  const again = await openDatabase({ kind: "pglite", dataDir });
  try {
    expect((await sql<{ id: number }>`select id from kept`.execute(again)).rows).toEqual([{ id: 1 }]);
  } finally {
    await again.destroy();
  }
}, 60_000);

test("an initialised data directory is left alone, without a child process", async () => {
  const dataDir = path.join(root, "existing");
  await initEmbeddedDataDir(dataDir);
  const version = statSync(path.join(dataDir, "PG_VERSION")).mtimeMs;
  const before = children.started;
  await initEmbeddedDataDir(dataDir);
  expect(children.started - before, "no child for an initialised directory").toBe(0);
  expect(statSync(path.join(dataDir, "PG_VERSION")).mtimeMs).toBe(version);
}, 60_000);

test("a data directory that cannot be created fails with its path and the child's error", async () => {
  const file = path.join(root, "a-file");
  writeFileSync(file, "not a directory");
  await expect(initEmbeddedDataDir(path.join(file, "pglite"))).rejects.toThrow(/could not create the embedded database in .*a-file\/pglite[\s\S]*ENOTDIR/);
}, 60_000);
