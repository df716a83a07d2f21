import { sql, type Kysely } from "kysely";

// Cases and the consent boundary: subjects, participants, coordinator handovers, notes
// with edit history, consent records with their history, legal-basis disclosures,
// the hash-chained audit log and in-app notifications.

const list = (values: string[]) => sql.raw(values.map((v) => `'${v}'`).join(", "));

export async function up(db: Kysely<unknown>): Promise<void> {
  // The municipality's maximum consent period (DESIGN.md §4.1: default 12 months).
  await db.schema
    .alterTable("municipalities")
    .addColumn("consent_max_months", "integer", (c) => c.notNull().defaultTo(12).check(sql`consent_max_months between 1 and 60`))
    .execute();

  await db.schema
    .createTable("cases")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("municipality_id", "uuid", (c) => c.notNull().references("municipalities.id"))
    .addColumn("owning_unit_id", "uuid", (c) => c.notNull().references("units.id"))
    .addColumn("coordinator_user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("bti_level", "integer", (c) => c.notNull().defaultTo(1).check(sql`bti_level between 0 and 3`))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("open").check(sql`status in (${list(["open", "paused", "closed"])})`))
    .addColumn("closed_reason", "text")
    .addColumn("created_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("cases_municipality_idx").on("cases").columns(["municipality_id", "updated_at"]).execute();
  await db.schema.createIndex("cases_coordinator_idx").on("cases").column("coordinator_user_id").execute();

  await db.schema
    .createTable("case_subjects")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("case_id", "uuid", (c) => c.notNull().references("cases.id"))
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in (${list(["child", "youth", "parent"])})`))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("birth_date", "date")
    .addColumn("birth_year", "integer")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("case_subjects_case_idx").on("case_subjects").column("case_id").execute();

  // A unit takes part (user_id null), optionally narrowed to named users (user_id set).
  await db.schema
    .createTable("case_participants")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("case_id", "uuid", (c) => c.notNull().references("cases.id"))
    .addColumn("unit_id", "uuid", (c) => c.notNull().references("units.id"))
    .addColumn("user_id", "uuid", (c) => c.references("users.id"))
    .addColumn("added_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("added_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("removed_at", "timestamptz")
    .execute();
  await db.schema.createIndex("case_participants_case_idx").on("case_participants").column("case_id").execute();
  await db.schema.createIndex("case_participants_unit_idx").on("case_participants").columns(["unit_id", "case_id"]).execute();
  await db.schema.createIndex("case_participants_user_idx").on("case_participants").columns(["user_id", "case_id"]).execute();

  await db.schema
    .createTable("case_handovers")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("case_id", "uuid", (c) => c.notNull().references("cases.id"))
    .addColumn("from_user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("to_user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("proposed").check(sql`status in (${list(["proposed", "accepted", "declined", "withdrawn"])})`),
    )
    .addColumn("note", "text")
    .addColumn("proposed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("decided_at", "timestamptz")
    .execute();
  await db.schema.createIndex("case_handovers_case_idx").on("case_handovers").column("case_id").execute();
  await sql`create unique index case_handovers_one_open on case_handovers (case_id) where status = 'proposed'`.execute(db);

  await db.schema
    .createTable("case_notes")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("case_id", "uuid", (c) => c.notNull().references("cases.id"))
    .addColumn("unit_id", "uuid", (c) => c.notNull().references("units.id"))
    .addColumn("author_user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().defaultTo("observation").check(sql`kind in (${list(["observation", "bright_spot"])})`))
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("case_notes_case_idx").on("case_notes").columns(["case_id", "created_at"]).execute();

  await db.schema
    .createTable("case_note_versions")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("note_id", "uuid", (c) => c.notNull().references("case_notes.id"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("edited_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("edited_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("case_note_versions_note_version_key", ["note_id", "version"])
    .execute();

  // One row per consent version; series_id ties the versions of one consent together.
  await db.schema
    .createTable("consents")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("series_id", "uuid", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("case_id", "uuid", (c) => c.notNull().references("cases.id"))
    .addColumn("subject_id", "uuid", (c) => c.notNull().references("case_subjects.id"))
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("draft").check(
        sql`status in (${list(["draft", "requested", "active", "withdrawn", "expired", "superseded", "invalidated", "refused"])})`,
      ),
    )
    .addColumn("managing_unit_id", "uuid", (c) => c.notNull().references("units.id"))
    .addColumn("recorded_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("grantors", "jsonb", (c) => c.notNull())
    .addColumn("child_views", "jsonb")
    .addColumn("evidence", "jsonb", (c) => c.notNull())
    .addColumn("information_text_version", "text", (c) => c.notNull())
    .addColumn("provisions", "jsonb", (c) => c.notNull())
    .addColumn("period_start", "timestamptz", (c) => c.notNull())
    .addColumn("period_end", "timestamptz", (c) => c.notNull())
    .addColumn("supersedes_id", "uuid", (c) => c.references("consents.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("activated_at", "timestamptz")
    .addColumn("ended_at", "timestamptz")
    .addColumn("end_reason", "text")
    .addCheckConstraint("consents_period_check", sql`period_end > period_start`)
    .addUniqueConstraint("consents_series_version_key", ["series_id", "version"])
    .execute();
  await db.schema.createIndex("consents_case_idx").on("consents").columns(["case_id", "status"]).execute();
  await sql`create index consents_active_end_idx on consents (period_end) where status = 'active'`.execute(db);

  // Terms are locked once a consent has been active, and such a record is never deleted:
  // enforced here too, so no code path (or hand-written SQL) can get round it.
  await sql`
    create function consents_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        if old.activated_at is not null then
          raise exception 'a consent that was ever active cannot be deleted';
        end if;
        return old;
      end if;
      if old.status not in ('draft', 'requested') and (
        new.grantors is distinct from old.grantors or new.child_views is distinct from old.child_views
        or new.evidence is distinct from old.evidence or new.provisions is distinct from old.provisions
        or new.period_start is distinct from old.period_start or new.period_end is distinct from old.period_end
        or new.subject_id is distinct from old.subject_id or new.case_id is distinct from old.case_id
        or new.information_text_version is distinct from old.information_text_version
        or new.version is distinct from old.version or new.series_id is distinct from old.series_id
      ) then
        raise exception 'the terms of a consent are locked once it is active; record a new version';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger consents_guard before update or delete on consents for each row execute function consents_guard()`.execute(db);

  await db.schema
    .createTable("consent_history")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("consent_id", "uuid", (c) => c.notNull().references("consents.id"))
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("actor_user_id", "uuid", (c) => c.references("users.id"))
    .addColumn("from_status", "text")
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .execute();
  await db.schema.createIndex("consent_history_consent_idx").on("consent_history").column("consent_id").execute();

  // The statutes a municipality lets its staff disclose under; Norwegian defaults are seeded.
  await db.schema
    .createTable("legal_statutes")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("municipality_id", "uuid", (c) => c.notNull().references("municipalities.id"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("reference", "text", (c) => c.notNull())
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .addUniqueConstraint("legal_statutes_municipality_key", ["municipality_id", "key"])
    .execute();

  await db.schema
    .createTable("disclosures")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("case_id", "uuid", (c) => c.notNull().references("cases.id"))
    .addColumn("statute_id", "uuid", (c) => c.notNull().references("legal_statutes.id"))
    .addColumn("discloser_user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("discloser_unit_id", "uuid", (c) => c.notNull().references("units.id"))
    .addColumn("recipient_unit_id", "uuid", (c) => c.notNull().references("units.id"))
    .addColumn("categories", "jsonb", (c) => c.notNull())
    .addColumn("purposes", "jsonb", (c) => c.notNull())
    .addColumn("justification", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("valid_until", "timestamptz")
    .addColumn("revoked_at", "timestamptz")
    .addColumn("reviewed_by", "uuid", (c) => c.references("users.id"))
    .addColumn("reviewed_at", "timestamptz")
    .addColumn("review_outcome", "text", (c) => c.check(sql`review_outcome in (${list(["approved", "questioned"])})`))
    .addColumn("review_note", "text")
    .execute();
  await db.schema.createIndex("disclosures_case_idx").on("disclosures").column("case_id").execute();
  await db.schema.createIndex("disclosures_unit_idx").on("disclosures").column("discloser_unit_id").execute();

  // The audit log: one hash chain per municipality, its head in audit_chain_heads.
  await db.schema
    .createTable("audit_events")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("municipality_id", "uuid", (c) => c.notNull())
    // The position in the municipality's chain, given under the head's lock: ids are handed
    // out before that lock, so concurrent appends may chain in another order than their ids.
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("actor_user_id", "uuid")
    .addColumn("actor_unit_id", "uuid")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("resource_type", "text", (c) => c.notNull())
    .addColumn("resource_id", "text")
    .addColumn("case_id", "uuid")
    .addColumn("basis", "jsonb")
    .addColumn("purpose", "text")
    .addColumn("prev_hash", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_events_chain_idx").on("audit_events").columns(["municipality_id", "seq"]).unique().execute();
  await db.schema.createIndex("audit_events_case_idx").on("audit_events").columns(["case_id", "id"]).execute();

  await db.schema
    .createTable("audit_chain_heads")
    .addColumn("municipality_id", "uuid", (c) => c.primaryKey())
    .addColumn("last_seq", "bigint", (c) => c.notNull())
    .addColumn("last_hash", "text", (c) => c.notNull())
    .execute();

  // What an event's hash covers: every field but the hashes, as a JSON array (unambiguous, and
  // the same text on every server: the time in UTC with microseconds).
  await sql`
    create function audit_event_payload(e audit_events) returns text language sql stable as $$
      select json_build_array(
        e.municipality_id, e.seq, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), e.actor_user_id,
        e.actor_unit_id, e.action, e.resource_type, e.resource_id, e.case_id, e.basis, e.purpose
      )::text
    $$`.execute(db);
  // Chaining happens in the database, row by row, under a lock on the chain head: an append is
  // one INSERT (one round trip), and appends from every node line up in one order.
  await sql`
    create function audit_events_chain() returns trigger language plpgsql as $$
    declare
      prev text;
      prev_seq bigint;
    begin
      select last_hash, last_seq into prev, prev_seq from audit_chain_heads where municipality_id = new.municipality_id for update;
      if not found then
        insert into audit_chain_heads (municipality_id, last_seq, last_hash)
          values (new.municipality_id, 0, repeat('0', 64)) on conflict do nothing;
        select last_hash, last_seq into prev, prev_seq from audit_chain_heads where municipality_id = new.municipality_id for update;
      end if;
      new.seq := prev_seq + 1;
      new.prev_hash := prev;
      new.hash := encode(sha256(convert_to(prev || audit_event_payload(new), 'UTF8')), 'hex');
      update audit_chain_heads set last_hash = new.hash, last_seq = new.seq where municipality_id = new.municipality_id;
      return new;
    end $$`.execute(db);
  await sql`create trigger audit_events_chain before insert on audit_events for each row execute function audit_events_chain()`.execute(db);

  await db.schema
    .createTable("notifications")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("case_id", "uuid", (c) => c.references("cases.id"))
    // Makes a scheduled notification idempotent: the same reminder is never sent twice.
    .addColumn("dedupe_key", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("read_at", "timestamptz")
    .addUniqueConstraint("notifications_dedupe_key", ["user_id", "dedupe_key"])
    .execute();
  await db.schema.createIndex("notifications_user_idx").on("notifications").columns(["user_id", "created_at"]).execute();
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only.");
}
