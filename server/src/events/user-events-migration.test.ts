import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import { openDatabase } from "../db/connect.ts";
import { migrateTo } from "../db/migrate.ts";

// Migration 0014 on a populated log: every row keeps its id, a conversation's events
// become events about resource ('conversation', id), and the replay's message link stays.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema before 0014 has no types
let db: Kysely<any>;

beforeAll(async () => {
  db = await openDatabase({ kind: "pglite", dataDir: undefined });
  await migrateTo(db, "0012_plan_pending_editors");
});
afterAll(async () => {
  await db?.destroy();
});

test("0014 keeps every event and names a conversation's events by resource", async () => {
  const { rows: [m] } = await sql<{ id: string }>`insert into municipalities (name) values ('Demo') returning id`.execute(db);
  const { rows: [u] } = await sql<{ id: string }>`insert into users (municipality_id, email, display_name, password_hash) values (${m!.id}, 'a@example.org', 'A', 'x') returning id`.execute(db);
  const { rows: [c] } = await sql<{ id: string }>`
    insert into conversations (municipality_id, kind, group_kind, title, created_by) values (${m!.id}, 'group', 'team', 'T', ${u!.id}) returning id`.execute(db);
  const messageId = "00000000-0000-4000-8000-000000000001";
  await sql`insert into user_event_counters (user_id, last_event_id) values (${u!.id}, 3)`.execute(db);
  await sql`
    insert into user_events (user_id, event_id, type, conversation_id, message_id, data) values
      (${u!.id}, 1, 'message.created', ${c!.id}, ${messageId}, null),
      (${u!.id}, 2, 'notification', null, null, '{"kind":"case_invited"}'),
      (${u!.id}, 3, 'notification', ${c!.id}, null, '{"kind":"mention"}')`.execute(db);

  await migrateTo(db, "0014_user_events_resources");

  const after = await sql<Record<string, unknown>>`select event_id, type, resource_type, resource_id, message_id, data from user_events order by event_id`.execute(db);
  expect(after.rows).toEqual([
    { event_id: 1, type: "message.created", resource_type: "conversation", resource_id: c!.id, message_id: messageId, data: null },
    { event_id: 2, type: "notification", resource_type: null, resource_id: null, message_id: null, data: { kind: "case_invited" } },
    { event_id: 3, type: "notification", resource_type: "conversation", resource_id: c!.id, message_id: null, data: { kind: "mention" } },
  ]);
  // A resource is named by type and id together, or not at all.
  await expect(sql`insert into user_events (user_id, event_id, type, resource_type) values (${u!.id}, 4, 'x', 'conversation')`.execute(db)).rejects.toThrow();
});
