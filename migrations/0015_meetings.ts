import { sql, type Kysely } from "kysely";

// Recurring cross-agency meetings (DESIGN.md §6). A series holds its recurrence as RFC 5545
// text (RRULE, EXDATE) with DTSTART as local time and its zone, so it means the same on
// every host; occurrences exist as rows only once something is recorded for them (a move,
// a cancellation, attendance, an agenda), keyed by their original local start
// (RECURRENCE-ID). Agenda items, their outcomes and the minutes' approved versions hang off
// the occurrence; the minutes themselves are live documents `minutes:<agenda item id>`.

export async function up(db: Kysely<unknown>): Promise<void> {
  // A municipality's own meeting kinds; none means the Norwegian defaults.
  await db.schema
    .createTable("meeting_settings")
    .addColumn("municipality_id", "uuid", (c) => c.primaryKey().references("municipalities.id"))
    .addColumn("kinds", "jsonb", (c) => c.notNull())
    .addColumn("updated_by", "uuid", (c) => c.references("users.id"))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("meeting_series")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("municipality_id", "uuid", (c) => c.notNull().references("municipalities.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("organiser_unit_id", "uuid", (c) => c.notNull().references("units.id"))
    .addColumn("chair_user_id", "uuid", (c) => c.references("users.id"))
    .addColumn("minute_taker_user_id", "uuid", (c) => c.references("users.id"))
    .addColumn("place", "text")
    .addColumn("video_link", "text")
    .addColumn("duration_minutes", "integer", (c) => c.notNull().check(sql`duration_minutes between 5 and 1440`))
    // Local wall-clock start of the first occurrence, "YYYY-MM-DDTHH:MM:SS", in `tzid`.
    .addColumn("dtstart_local", "text", (c) => c.notNull())
    .addColumn("tzid", "text", (c) => c.notNull().defaultTo("Europe/Oslo"))
    // The RRULE value without its name ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"); null: a single meeting.
    .addColumn("rrule", "text")
    // Local start times ("YYYY-MM-DDTHH:MM:SS") taken out of the series.
    .addColumn("exdates", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // Norwegian public holidays: kept ('none'), dropped, or moved to the next working day.
    .addColumn("holiday_policy", "text", (c) => c.notNull().defaultTo("none").check(sql`holiday_policy in ('none', 'drop', 'move')`))
    // "This and following" ends the old series with UNTIL and starts this one from it.
    .addColumn("split_from_series_id", "uuid", (c) => c.references("meeting_series.id"))
    // RFC 5545 SEQUENCE of the series' VEVENT: raised on every change of it.
    .addColumn("sequence", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("cancelled_at", "timestamptz")
    .addColumn("created_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("meeting_series_municipality_idx").on("meeting_series").columns(["municipality_id"]).execute();
  await db.schema.createIndex("meeting_series_organiser_idx").on("meeting_series").columns(["organiser_unit_id"]).execute();

  await db.schema
    .createTable("meeting_series_units")
    .addColumn("series_id", "uuid", (c) => c.notNull().references("meeting_series.id"))
    .addColumn("unit_id", "uuid", (c) => c.notNull().references("units.id"))
    .addPrimaryKeyConstraint("meeting_series_units_pkey", ["series_id", "unit_id"])
    .execute();
  await db.schema.createIndex("meeting_series_units_unit_idx").on("meeting_series_units").columns(["unit_id"]).execute();

  await db.schema
    .createTable("meeting_series_users")
    .addColumn("series_id", "uuid", (c) => c.notNull().references("meeting_series.id"))
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addPrimaryKeyConstraint("meeting_series_users_pkey", ["series_id", "user_id"])
    .execute();
  await db.schema.createIndex("meeting_series_users_user_idx").on("meeting_series_users").columns(["user_id"]).execute();

  // People without an account (the parents): name and role, for attendance only, never in a calendar.
  await db.schema
    .createTable("meeting_external_participants")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("series_id", "uuid", (c) => c.notNull().references("meeting_series.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("removed_at", "timestamptz")
    .execute();
  await db.schema.createIndex("meeting_external_series_idx").on("meeting_external_participants").columns(["series_id"]).execute();

  // An occurrence, made a row on demand; its original local start is its RECURRENCE-ID.
  await db.schema
    .createTable("meetings")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("series_id", "uuid", (c) => c.notNull().references("meeting_series.id"))
    .addColumn("municipality_id", "uuid", (c) => c.notNull().references("municipalities.id"))
    .addColumn("recurrence_id", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("planned").check(sql`status in ('planned', 'held', 'cancelled')`))
    // A moved occurrence's local start and length ("only this" edit); null: as the series says.
    .addColumn("moved_to_local", "text")
    .addColumn("duration_minutes", "integer")
    .addColumn("place", "text")
    .addColumn("video_link", "text")
    .addColumn("minutes_state", "text", (c) => c.notNull().defaultTo("draft").check(sql`minutes_state in ('draft', 'review', 'approved')`))
    // The approved version the minutes are at (0: never approved); a correction is the next.
    .addColumn("minutes_version", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("sequence", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("meetings_occurrence_key", ["series_id", "recurrence_id"])
    .execute();

  await db.schema
    .createTable("meeting_attendance")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("meeting_id", "uuid", (c) => c.notNull().references("meetings.id"))
    .addColumn("user_id", "uuid", (c) => c.references("users.id"))
    .addColumn("external_participant_id", "uuid", (c) => c.references("meeting_external_participants.id"))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('present', 'absent', 'excused')`))
    .addColumn("recorded_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("recorded_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("meeting_attendance_one_person", sql`(user_id is null) <> (external_participant_id is null)`)
    .execute();
  await sql`create unique index meeting_attendance_user_key on meeting_attendance (meeting_id, user_id) where user_id is not null`.execute(db);
  await sql`create unique index meeting_attendance_external_key on meeting_attendance (meeting_id, external_participant_id) where external_participant_id is not null`.execute(
    db,
  );

  // Each approval of a meeting's minutes, kept: version 1 is the first approval, later ones are corrections with a reason.
  await db.schema
    .createTable("meeting_minutes_versions")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("meeting_id", "uuid", (c) => c.notNull().references("meetings.id"))
    .addColumn("version", "integer", (c) => c.notNull())
    // Per agenda item, the minutes' text as approved: { [agendaItemId]: string }.
    .addColumn("content", "jsonb", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("approved_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("approved_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("meeting_minutes_versions_key", ["meeting_id", "version"])
    .execute();

  await db.schema
    .createTable("agenda_items")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("meeting_id", "uuid", (c) => c.notNull().references("meetings.id"))
    .addColumn("municipality_id", "uuid", (c) => c.notNull().references("municipalities.id"))
    // 'general': the meeting's general section (one per meeting, first).
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('case', 'anonymous', 'topic', 'general')`))
    // A named case; for 'case' only.
    .addColumn("case_id", "uuid", (c) => c.references("cases.id"))
    // The case an anonymous item is about: seen only by that case's coordinator (§4.6).
    .addColumn("linked_case_id", "uuid", (c) => c.references("cases.id"))
    .addColumn("pseudonym", "text")
    .addColumn("title", "text")
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("planned_minutes", "integer")
    .addColumn("presenter_user_id", "uuid", (c) => c.references("users.id"))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("open").check(sql`status in ('open', 'done', 'carried')`))
    // The item this one continues (carried over from an earlier meeting): its history.
    .addColumn("carried_from_id", "uuid", (c) => c.references("agenda_items.id"))
    .addColumn("created_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("removed_at", "timestamptz")
    .addCheckConstraint("agenda_items_case_only_named", sql`(kind = 'case') = (case_id is not null)`)
    .addCheckConstraint("agenda_items_link_only_anonymous", sql`linked_case_id is null or kind = 'anonymous'`)
    .execute();
  await db.schema.createIndex("agenda_items_meeting_idx").on("agenda_items").columns(["meeting_id", "position"]).execute();
  await db.schema.createIndex("agenda_items_case_idx").on("agenda_items").columns(["case_id"]).execute();
  await db.schema.createIndex("agenda_items_linked_case_idx").on("agenda_items").columns(["linked_case_id"]).execute();

  await db.schema
    .createTable("agenda_item_outcomes")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("agenda_item_id", "uuid", (c) => c.notNull().references("agenda_items.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('information', 'decision', 'action')`))
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("responsible_unit_id", "uuid", (c) => c.references("units.id"))
    .addColumn("responsible_user_id", "uuid", (c) => c.references("users.id"))
    .addColumn("deadline", "date")
    .addColumn("evaluation_date", "date")
    // The measure this action became in the case's plan (plan:<case id>, measure id in the document).
    .addColumn("plan_case_id", "uuid", (c) => c.references("cases.id"))
    .addColumn("plan_measure_id", "text")
    .addColumn("created_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("removed_at", "timestamptz")
    .execute();
  await db.schema.createIndex("agenda_item_outcomes_item_idx").on("agenda_item_outcomes").columns(["agenda_item_id"]).execute();
  await db.schema.createIndex("agenda_item_outcomes_user_idx").on("agenda_item_outcomes").columns(["responsible_user_id", "deadline"]).execute();

  // A reminder sent, once: the primary key makes a second node's attempt a no-op.
  await db.schema
    .createTable("meeting_reminders")
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('meeting_soon', 'agenda_empty', 'action_due')`))
    // The meeting (series id + recurrence id) or the outcome it is about.
    .addColumn("subject_key", "text", (c) => c.notNull())
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("sent_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("meeting_reminders_pkey", ["kind", "subject_key", "user_id"])
    .execute();

  // A user's calendar feed tokens: only a hash is kept; the token is shown once.
  await db.schema
    .createTable("calendar_tokens")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("last_used_at", "timestamptz")
    .addColumn("revoked_at", "timestamptz")
    .execute();
  await db.schema.createIndex("calendar_tokens_user_idx").on("calendar_tokens").columns(["user_id"]).execute();
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only.");
}
