import { sql, type Kysely } from "kysely";

// Municipalities, units (with rename history), users, memberships, sessions and the
// authentication log. Kinds and roles are checked here as well as in zod so that no
// other writer can store a value the domain does not know.

const unitKinds = [
  "school", "kindergarten", "health_station", "school_health", "nav", "child_welfare",
  "ppt", "housing", "police", "volunteer", "other",
];
const roles = ["admin", "leader", "coordinator", "caseworker", "volunteer_contact", "slt_coordinator"];
const inList = (values: string[]) => sql.raw(values.map((v) => `'${v}'`).join(", "));

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("municipalities")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("units")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("municipality_id", "uuid", (c) => c.notNull().references("municipalities.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in (${inList(unitKinds)})`))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("parent_unit_id", "uuid", (c) => c.references("units.id"))
    .addColumn("valid_from", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("valid_to", "timestamptz")
    .execute();
  await db.schema.createIndex("units_municipality_idx").on("units").column("municipality_id").execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("municipality_id", "uuid", (c) => c.notNull().references("municipalities.id"))
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("must_change_password", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("deactivated_at", "timestamptz")
    .execute();
  await db.schema.createIndex("users_municipality_idx").on("users").column("municipality_id").execute();

  // Renames keep history: one row per change, the current name lives on units.name.
  await db.schema
    .createTable("unit_renames")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("unit_id", "uuid", (c) => c.notNull().references("units.id"))
    .addColumn("old_name", "text", (c) => c.notNull())
    .addColumn("new_name", "text", (c) => c.notNull())
    .addColumn("renamed_by", "uuid", (c) => c.references("users.id"))
    .addColumn("renamed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("unit_renames_unit_idx").on("unit_renames").column("unit_id").execute();

  await db.schema
    .createTable("memberships")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("unit_id", "uuid", (c) => c.notNull().references("units.id"))
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in (${inList(roles)})`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("memberships_user_unit_role_key", ["user_id", "unit_id", "role"])
    .execute();
  await db.schema.createIndex("memberships_unit_idx").on("memberships").column("unit_id").execute();

  // Lucia-style sessions: the id is public, only the SHA-256 of the secret is stored.
  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("secret_hash", "text", (c) => c.notNull())
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("last_verified_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("sessions_user_idx").on("sessions").column("user_id").execute();

  // Login attempts: the log of who tried, and the source of the per-account and per-IP limits.
  await db.schema
    .createTable("auth_events")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("user_id", "uuid", (c) => c.references("users.id"))
    .addColumn("ip", "text")
    .execute();
  await db.schema.createIndex("auth_events_email_idx").on("auth_events").columns(["email", "at"]).execute();
  await db.schema.createIndex("auth_events_ip_idx").on("auth_events").columns(["ip", "at"]).execute();
}

export async function down(): Promise<void> {
  throw new Error("Migrations are forward-only.");
}
