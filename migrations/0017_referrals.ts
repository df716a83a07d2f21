import { sql, type Kysely } from "kysely";

// The offers directory and scoped referrals to volunteer organisations (DESIGN.md §7).
// Offers are public information (no personal data). A referral carries only its own
// minimum data (`data`), never a case: the recipient reads that column and nothing else
// of the case. When its basis ends (consent withdrawn or expired, case closed) `data` is
// set to null and `redacted_at` stamped: what remains is an anonymous count. Every change
// of status is one row in `referral_events`, with who made it (null: Laget itself).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("offers")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("municipality_id", "uuid", (c) => c.notNull().references("municipalities.id"))
    .addColumn("owner_unit_id", "uuid", (c) => c.notNull().references("units.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("category", "text", (c) =>
      c.notNull().check(sql`category in ('sport', 'culture', 'holiday', 'equipment_lending', 'homework_help', 'meeting_place', 'other')`),
    )
    .addColumn("age_min", "integer", (c) => c.check(sql`age_min between 0 and 120`))
    .addColumn("age_max", "integer", (c) => c.check(sql`age_max between 0 and 120`))
    // Plain words for families ("Tirsdager 17–18.30, hele skoleåret").
    .addColumn("schedule_text", "text", (c) => c.notNull().defaultTo(""))
    // Machine-readable rhythm, when it has one: { freq: 'WEEKLY'|'MONTHLY', byDay: ['TU'], opensAt: '17:00', closesAt: '18:30', validFrom?, validTo? }.
    .addColumn("schedule", "jsonb")
    // The district (bydel/nærmiljø) families filter by.
    .addColumn("area", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("location_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("address", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("postal_code", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("city", "text", (c) => c.notNull().defaultTo(""))
    // What it costs the family in total, in whole kroner, for `cost_period`.
    .addColumn("fee_nok", "integer", (c) => c.notNull().defaultTo(0).check(sql`fee_nok >= 0`))
    .addColumn("equipment_nok", "integer", (c) => c.notNull().defaultTo(0).check(sql`equipment_nok >= 0`))
    .addColumn("travel_nok", "integer", (c) => c.notNull().defaultTo(0).check(sql`travel_nok >= 0`))
    .addColumn("cost_period", "text", (c) => c.notNull().defaultTo("season").check(sql`cost_period in ('once', 'month', 'term', 'season', 'year')`))
    .addColumn("cost_note", "text", (c) => c.notNull().defaultTo(""))
    // Support schemes that apply: free, fritidskort, activity_support, equipment_lending.
    .addColumn("support_schemes", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // Places in all, and free now; null: no limit.
    .addColumn("capacity", "integer", (c) => c.check(sql`capacity >= 0`))
    .addColumn("free_places", "integer", (c) => c.check(sql`free_places >= 0`))
    .addColumn("has_waiting_list", "boolean", (c) => c.notNull().defaultTo(false))
    // ISO 639-1 codes of languages spoken there ("nb", "en", "ar", "so", "uk", ...).
    .addColumn("languages", "jsonb", (c) => c.notNull().defaultTo(sql`'["nb"]'::jsonb`))
    .addColumn("accessibility", "text", (c) => c.notNull().defaultTo(""))
    // The organisation's contact for the offer: an office address, never a person's private details.
    .addColumn("contact_email", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("contact_phone", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("contact_url", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("published", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("archived_at", "timestamptz")
    .addColumn("created_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("offers_municipality_idx").on("offers").columns(["municipality_id"]).execute();
  await db.schema.createIndex("offers_owner_idx").on("offers").columns(["owner_unit_id"]).execute();

  await db.schema
    .createTable("referrals")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("municipality_id", "uuid", (c) => c.notNull().references("municipalities.id"))
    .addColumn("case_id", "uuid", (c) => c.notNull().references("cases.id"))
    // The child or young person it is about (one of the case's subjects).
    .addColumn("subject_id", "uuid", (c) => c.references("case_subjects.id"))
    .addColumn("referring_unit_id", "uuid", (c) => c.notNull().references("units.id"))
    .addColumn("referred_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("recipient_unit_id", "uuid", (c) => c.notNull().references("units.id"))
    .addColumn("offer_id", "uuid", (c) => c.references("offers.id"))
    // The consent it is sent under, that version (DESIGN.md §4.4).
    .addColumn("consent_id", "uuid", (c) => c.notNull().references("consents.id"))
    .addColumn("consent_version", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("draft").check(sql`status in ('draft', 'sent', 'received', 'accepted', 'declined', 'on_hold', 'in_progress', 'completed', 'failed', 'cancelled')`),
    )
    // The FHIR Task status beside Laget's (draft, requested, received, accepted, rejected, on-hold, in-progress, completed, failed, cancelled).
    .addColumn("fhir_status", "text", (c) => c.notNull().defaultTo("draft"))
    // The minimum data (ReferralData in @laget/domain); null once redacted.
    .addColumn("data", "jsonb")
    // A free place is paid by this support scheme, not marked as anything about the family.
    .addColumn("support_scheme", "text")
    .addColumn("claimed_by", "uuid", (c) => c.references("users.id"))
    // The reason of the latest status that takes one (declined, failed, cancelled), coded, and words for 'other'.
    .addColumn("status_reason", "text")
    .addColumn("status_reason_text", "text")
    .addColumn("suggested_offer_id", "uuid", (c) => c.references("offers.id"))
    .addColumn("resume_on", "date")
    .addColumn("outcome", "text")
    .addColumn("sent_at", "timestamptz")
    .addColumn("first_response_at", "timestamptz")
    .addColumn("response_due_at", "timestamptz")
    .addColumn("escalated_at", "timestamptz")
    .addColumn("redacted_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("referrals_case_idx").on("referrals").columns(["case_id"]).execute();
  await db.schema.createIndex("referrals_recipient_idx").on("referrals").columns(["recipient_unit_id", "status"]).execute();
  await db.schema.createIndex("referrals_referring_idx").on("referrals").columns(["referring_unit_id"]).execute();
  await db.schema.createIndex("referrals_consent_idx").on("referrals").columns(["consent_id"]).execute();
  await db.schema.createIndex("referrals_offer_idx").on("referrals").columns(["offer_id"]).execute();

  await db.schema
    .createTable("referral_events")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("referral_id", "uuid", (c) => c.notNull().references("referrals.id"))
    .addColumn("from_status", "text")
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("fhir_status", "text", (c) => c.notNull())
    // Null: Laget itself (a consent withdrawn, a case closed).
    .addColumn("actor_user_id", "uuid", (c) => c.references("users.id"))
    .addColumn("reason", "text")
    .addColumn("reason_text", "text")
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("referral_events_referral_idx").on("referral_events").columns(["referral_id", "at"]).execute();

  // How it went, recorded with the family after completion; shown to the organisation without a name.
  await db.schema
    .createTable("referral_feedback")
    .addColumn("referral_id", "uuid", (c) => c.primaryKey().references("referrals.id"))
    .addColumn("rating", "text", (c) => c.notNull().check(sql`rating in ('good', 'mixed', 'poor')`))
    .addColumn("words", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("recorded_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("recorded_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Working days a recipient has to answer before the coordinator hears of it.
  await db.schema
    .alterTable("municipalities")
    .addColumn("referral_response_days", "integer", (c) => c.notNull().defaultTo(5).check(sql`referral_response_days between 1 and 30`))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only.");
}
