import { readFileSync } from "node:fs";
import { sql } from "kysely";
import ts from "typescript";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestDb, type TestDb } from "../testing/test-db.ts";

// schema.ts is the one place database types live; this test holds it to the migrated schema.

type Column = { base: string; nullable: boolean };

/** Reads `interface DB` and the table interfaces of schema.ts into table → column → type. */
function declaredTables(): Record<string, Record<string, Column>> {
  const file = new URL("./schema.ts", import.meta.url);
  const source = ts.createSourceFile("schema.ts", readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  const aliases = new Map<string, string>();
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
    if (ts.isTypeAliasDeclaration(node)) aliases.set(node.name.text, node.type.getText(source));
  });
  const members = (i: ts.InterfaceDeclaration) =>
    i.members.filter(ts.isPropertySignature).map((m) => [(m.name as ts.Identifier).text, m.type!.getText(source)] as const);

  const resolveBase = (text: string): string => {
    const generated = /^Generated<(.+)>$/.exec(text);
    if (generated) return resolveBase(generated[1]!);
    const column = /^ColumnType<([^,]+),/.exec(text);
    if (column) return resolveBase(column[1]!.trim());
    const alias = aliases.get(text);
    return alias ? resolveBase(alias) : text;
  };
  const tables: Record<string, Record<string, Column>> = {};
  for (const [table, iface] of members(interfaces.get("DB")!)) {
    tables[table] = {};
    for (const [name, type] of members(interfaces.get(iface)!)) {
      const parts = type.split("|").map((p) => p.trim());
      tables[table][name] = {
        base: resolveBase(parts.filter((p) => p !== "null").join(" | ")),
        nullable: parts.includes("null"),
      };
    }
  }
  return tables;
}

const tsTypeFor: Record<string, string> = {
  uuid: "string",
  text: "string",
  "timestamp with time zone": "Date",
  boolean: "boolean",
  bigint: "number",
  integer: "number",
  jsonb: "unknown",
  date: "string",
};

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(() => testDb?.close());

test("every table and column in schema.ts matches the migrated database, type and nullability", async () => {
  const { rows } = await sql<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>`
    select table_name, column_name, data_type, is_nullable
    from information_schema.columns
    where table_schema = current_schema() and table_name not like 'kysely_%'
    order by table_name, ordinal_position`.execute(testDb.db);

  const actual: Record<string, Record<string, Column>> = {};
  for (const r of rows) {
    const base = tsTypeFor[r.data_type];
    expect(base, `no TypeScript mapping for ${r.data_type} (${r.table_name}.${r.column_name})`).toBeDefined();
    (actual[r.table_name] ??= {})[r.column_name] = { base: base!, nullable: r.is_nullable === "YES" };
  }
  expect(declaredTables()).toEqual(actual);
});
