import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

/**
 * The database as Kysely sees it: the one place its types live. `schema.test.ts`
 * checks every table and column here against the migrated schema.
 *
 * Result types are the same on PostgreSQL and PGlite (see `connect.ts`):
 * timestamptz → Date, bigint → number, boolean → boolean, jsonb → parsed JSON,
 * date → "YYYY-MM-DD" string.
 */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type GeneratedId = ColumnType<number, never, never>;

export interface MunicipalitiesTable {
  id: Generated<string>;
  name: string;
  created_at: GeneratedTimestamp;
  consent_max_months: Generated<number>;
  /** Unit kinds whose taking part in a case is confidential, besides child_welfare and police (json string[]). */
  confidential_unit_kinds: ColumnType<unknown, string | undefined, string>;
  /** Working days a referral's recipient has to answer before the coordinator hears of it. */
  referral_response_days: Generated<number>;
}

export interface UnitsTable {
  id: Generated<string>;
  municipality_id: string;
  kind: string;
  name: string;
  parent_unit_id: string | null;
  valid_from: GeneratedTimestamp;
  /** Set when the unit is deactivated; null while it is active. */
  valid_to: Timestamp | null;
}

export interface UnitRenamesTable {
  id: GeneratedId;
  unit_id: string;
  old_name: string;
  new_name: string;
  renamed_by: string | null;
  renamed_at: GeneratedTimestamp;
}

export interface UsersTable {
  id: Generated<string>;
  municipality_id: string;
  email: string;
  display_name: string;
  password_hash: string;
  must_change_password: Generated<boolean>;
  created_at: GeneratedTimestamp;
  deactivated_at: Timestamp | null;
}

export interface MembershipsTable {
  id: Generated<string>;
  user_id: string;
  unit_id: string;
  role: string;
  created_at: GeneratedTimestamp;
}

export interface SessionsTable {
  id: string;
  secret_hash: string;
  user_id: string;
  created_at: GeneratedTimestamp;
  last_verified_at: GeneratedTimestamp;
}

export interface AuthEventsTable {
  id: GeneratedId;
  at: GeneratedTimestamp;
  kind: string;
  email: string | null;
  user_id: string | null;
  ip: string | null;
}

type Json = ColumnType<unknown, string, string>;
type JsonNullable = ColumnType<unknown, string | null, string | null>;
type DateOnly = ColumnType<string, string, string>;

export interface CasesTable {
  id: Generated<string>;
  municipality_id: string;
  owning_unit_id: string;
  coordinator_user_id: string;
  bti_level: Generated<number>;
  status: Generated<string>;
  closed_reason: string | null;
  created_by: string;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface CaseSubjectsTable {
  id: Generated<string>;
  case_id: string;
  role: string;
  name: string;
  birth_date: DateOnly | null;
  birth_year: number | null;
  created_at: GeneratedTimestamp;
}

export interface CaseParticipantsTable {
  id: Generated<string>;
  case_id: string;
  unit_id: string;
  /** Null: the whole unit takes part; set: only this named user of the unit. */
  user_id: string | null;
  added_by: string;
  added_at: GeneratedTimestamp;
  removed_at: Timestamp | null;
}

export interface CaseHandoversTable {
  id: Generated<string>;
  case_id: string;
  from_user_id: string;
  to_user_id: string;
  status: Generated<string>;
  note: string | null;
  proposed_at: GeneratedTimestamp;
  decided_at: Timestamp | null;
}

export interface CaseNotesTable {
  id: Generated<string>;
  case_id: string;
  unit_id: string;
  author_user_id: string;
  category: string;
  kind: Generated<string>;
  body: string;
  version: Generated<number>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface CaseNoteVersionsTable {
  id: GeneratedId;
  note_id: string;
  version: number;
  category: string;
  body: string;
  edited_by: string;
  edited_at: GeneratedTimestamp;
}

export interface ConsentsTable {
  id: Generated<string>;
  series_id: string;
  version: Generated<number>;
  case_id: string;
  subject_id: string;
  status: Generated<string>;
  managing_unit_id: string;
  recorded_by: string;
  grantors: Json;
  child_views: JsonNullable | null;
  evidence: Json;
  information_text_version: string;
  provisions: Json;
  period_start: Timestamp;
  period_end: Timestamp;
  supersedes_id: string | null;
  created_at: GeneratedTimestamp;
  activated_at: Timestamp | null;
  ended_at: Timestamp | null;
  end_reason: string | null;
}

export interface ConsentHistoryTable {
  id: GeneratedId;
  consent_id: string;
  at: GeneratedTimestamp;
  actor_user_id: string | null;
  from_status: string | null;
  to_status: string;
  reason: string | null;
}

export interface LegalStatutesTable {
  id: Generated<string>;
  municipality_id: string;
  key: string;
  title: string;
  reference: string;
  active: Generated<boolean>;
}

export interface DisclosuresTable {
  id: Generated<string>;
  case_id: string;
  statute_id: string;
  discloser_user_id: string;
  discloser_unit_id: string;
  recipient_unit_id: string;
  categories: Json;
  purposes: Json;
  justification: string;
  created_at: GeneratedTimestamp;
  valid_until: Timestamp | null;
  revoked_at: Timestamp | null;
  reviewed_by: string | null;
  reviewed_at: Timestamp | null;
  review_outcome: string | null;
  review_note: string | null;
}

export interface AuditEventsTable {
  id: GeneratedId;
  municipality_id: string;
  /** Position in the municipality's chain; set by the audit_events_chain trigger. */
  seq: ColumnType<number, never, never>;
  at: GeneratedTimestamp;
  actor_user_id: string | null;
  actor_unit_id: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  case_id: string | null;
  basis: JsonNullable | null;
  purpose: string | null;
  /** Both set by appendAudit (audit/log.ts), which chains under the head's lock. */
  prev_hash: ColumnType<string, never, never>;
  hash: ColumnType<string, never, never>;
  /** HMAC of the hash with the audit key (audit/key.ts), set by appendAudit with the row. */
  mac: string | null;
}

export interface AuditChainHeadsTable {
  municipality_id: string;
  last_seq: number;
  last_hash: string;
  /** HMAC of the head with the audit key, set by appendAudit in the same transaction. */
  mac: string | null;
}

export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  kind: string;
  case_id: string | null;
  dedupe_key: string | null;
  conversation_id: string | null;
  created_at: GeneratedTimestamp;
  read_at: Timestamp | null;
}

export interface ConversationsTable {
  id: Generated<string>;
  municipality_id: string;
  kind: string;
  case_id: string | null;
  group_kind: string | null;
  title: string | null;
  owner_user_id: string | null;
  direct_key: string | null;
  last_seq: Generated<number>;
  last_message_at: Timestamp | null;
  created_by: string;
  created_at: GeneratedTimestamp;
}

export interface ConversationMembersTable {
  conversation_id: string;
  user_id: string;
  added_by: string;
  joined_at: GeneratedTimestamp;
  left_at: Timestamp | null;
}

export interface ConversationReadsTable {
  conversation_id: string;
  user_id: string;
  last_read_seq: Generated<number>;
  mention_count: Generated<number>;
}

export interface MessagesTable {
  id: string;
  conversation_id: string;
  seq: number;
  author_user_id: string;
  reply_to_seq: number | null;
  body: string;
  mentions: Json;
  created_at: GeneratedTimestamp;
  edited_at: Timestamp | null;
  deleted_at: Timestamp | null;
}

export interface MessageEditsTable {
  id: GeneratedId;
  message_id: string;
  previous_body: string;
  edited_by: string;
  edited_at: GeneratedTimestamp;
}

export interface UserEventCountersTable {
  user_id: string;
  last_event_id: number;
}

export interface UserEventsTable {
  user_id: string;
  event_id: number;
  type: string;
  /** What the event is about ('conversation', 'notification', …), with its id: both or neither. */
  resource_type: string | null;
  resource_id: string | null;
  message_id: string | null;
  data: JsonNullable | null;
  created_at: GeneratedTimestamp;
}

/** A live document's snapshot (server/src/collab), by its name: `plan:<case id>`, … */
export interface LiveDocumentsTable {
  document_name: string;
  municipality_id: string;
  /** The Yjs state as one update, base64. */
  state: string;
  version: Generated<number>;
  updated_at: GeneratedTimestamp;
  updated_by: string | null;
  last_revision_at: Timestamp | null;
  /** Who changed the document since its last revision (user ids): the next revision names them. */
  pending_editor_user_ids: ColumnType<unknown, string | undefined, string>;
}

export interface DocumentRevisionsTable {
  id: Generated<string>;
  document_name: string;
  state: string;
  reason: string;
  editor_user_ids: Json;
  restored_from: string | null;
  created_by: string | null;
  created_at: GeneratedTimestamp;
}

/** The write-ahead log of live documents: updates not yet folded into a snapshot. */
export interface LiveDocumentUpdatesTable {
  id: GeneratedId;
  document_name: string;
  /** One Yjs update, base64. */
  update: string;
  user_id: string | null;
  basis: JsonNullable | null;
  created_at: GeneratedTimestamp;
}

export interface PlanMeasuresTable {
  case_id: string;
  measure_id: string;
  municipality_id: string;
  domain_id: string | null;
  title: string;
  status: string;
  responsible_unit_id: string | null;
  responsible_user_id: string | null;
  start_date: DateOnly | null;
  deadline: DateOnly | null;
  evaluation_date: DateOnly | null;
  updated_at: GeneratedTimestamp;
}

export interface PlanSettingsTable {
  municipality_id: string;
  domains: Json;
  updated_by: string | null;
  updated_at: GeneratedTimestamp;
}

export interface MeetingSettingsTable {
  municipality_id: string;
  kinds: Json;
  updated_by: string | null;
  updated_at: GeneratedTimestamp;
}

/** A meeting series (DESIGN.md §6): its recurrence as RFC 5545 text, DTSTART as local time in `tzid`. */
export interface MeetingSeriesTable {
  id: Generated<string>;
  municipality_id: string;
  kind: string;
  title: string;
  organiser_unit_id: string;
  chair_user_id: string | null;
  minute_taker_user_id: string | null;
  place: string | null;
  video_link: string | null;
  duration_minutes: number;
  /** "YYYY-MM-DDTHH:MM:SS", local time in `tzid`. */
  dtstart_local: string;
  tzid: Generated<string>;
  /** The RRULE value ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"); null: a single meeting. */
  rrule: string | null;
  /** Local start times taken out: ["YYYY-MM-DDTHH:MM:SS", …]. */
  exdates: ColumnType<unknown, string | undefined, string>;
  holiday_policy: Generated<string>;
  split_from_series_id: string | null;
  sequence: Generated<number>;
  cancelled_at: Timestamp | null;
  created_by: string;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface MeetingSeriesUnitsTable {
  series_id: string;
  unit_id: string;
}

export interface MeetingSeriesUsersTable {
  series_id: string;
  user_id: string;
}

export interface MeetingExternalParticipantsTable {
  id: Generated<string>;
  series_id: string;
  name: string;
  role: string;
  removed_at: Timestamp | null;
}

/** An occurrence made a row on demand, keyed by its original local start (RECURRENCE-ID). */
export interface MeetingsTable {
  id: Generated<string>;
  series_id: string;
  municipality_id: string;
  /** The original local start, "YYYY-MM-DDTHH:MM:SS". */
  recurrence_id: string;
  status: Generated<string>;
  moved_to_local: string | null;
  duration_minutes: number | null;
  place: string | null;
  video_link: string | null;
  minutes_state: Generated<string>;
  minutes_version: Generated<number>;
  /** Why approved minutes were reopened: recorded on the next approved version. */
  minutes_correction_reason: string | null;
  sequence: Generated<number>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface MeetingAttendanceTable {
  id: Generated<string>;
  meeting_id: string;
  user_id: string | null;
  external_participant_id: string | null;
  status: string;
  recorded_by: string;
  recorded_at: GeneratedTimestamp;
}

export interface MeetingMinutesVersionsTable {
  id: Generated<string>;
  meeting_id: string;
  version: number;
  /** { [agendaItemId]: text } as approved. */
  content: Json;
  reason: string | null;
  approved_by: string;
  approved_at: GeneratedTimestamp;
}

export interface AgendaItemsTable {
  id: Generated<string>;
  meeting_id: string;
  municipality_id: string;
  kind: string;
  case_id: string | null;
  /** An anonymous item's case: for its coordinator's eyes only. */
  linked_case_id: string | null;
  pseudonym: string | null;
  title: string | null;
  description: Generated<string>;
  position: number;
  planned_minutes: number | null;
  presenter_user_id: string | null;
  status: Generated<string>;
  carried_from_id: string | null;
  created_by: string;
  created_at: GeneratedTimestamp;
  removed_at: Timestamp | null;
}

export interface AgendaItemOutcomesTable {
  id: Generated<string>;
  agenda_item_id: string;
  kind: string;
  text: string;
  responsible_unit_id: string | null;
  responsible_user_id: string | null;
  deadline: DateOnly | null;
  evaluation_date: DateOnly | null;
  plan_case_id: string | null;
  plan_measure_id: string | null;
  created_by: string;
  created_at: GeneratedTimestamp;
  removed_at: Timestamp | null;
}

export interface MeetingRemindersTable {
  kind: string;
  subject_key: string;
  user_id: string;
  sent_at: GeneratedTimestamp;
}

export interface CalendarTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: GeneratedTimestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface OffersTable {
  id: Generated<string>;
  municipality_id: string;
  owner_unit_id: string;
  title: string;
  description: Generated<string>;
  category: string;
  age_min: number | null;
  age_max: number | null;
  schedule_text: Generated<string>;
  /** OfferSchedule (@laget/domain) or null. */
  schedule: ColumnType<unknown, string | null | undefined, string | null>;
  area: Generated<string>;
  location_name: Generated<string>;
  address: Generated<string>;
  postal_code: Generated<string>;
  city: Generated<string>;
  fee_nok: Generated<number>;
  equipment_nok: Generated<number>;
  travel_nok: Generated<number>;
  cost_period: Generated<string>;
  cost_note: Generated<string>;
  /** string[] of support schemes. */
  support_schemes: ColumnType<unknown, string | undefined, string>;
  capacity: number | null;
  free_places: number | null;
  has_waiting_list: Generated<boolean>;
  /** string[] of ISO 639-1 codes. */
  languages: ColumnType<unknown, string | undefined, string>;
  accessibility: Generated<string>;
  contact_email: Generated<string>;
  contact_phone: Generated<string>;
  contact_url: Generated<string>;
  published: Generated<boolean>;
  archived_at: Timestamp | null;
  created_by: string;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface ReferralsTable {
  id: Generated<string>;
  municipality_id: string;
  case_id: string;
  subject_id: string | null;
  referring_unit_id: string;
  referred_by: string;
  recipient_unit_id: string;
  offer_id: string | null;
  consent_id: string;
  consent_version: number;
  status: Generated<string>;
  fhir_status: Generated<string>;
  /** ReferralData (@laget/domain); null once redacted. */
  data: ColumnType<unknown, string | null | undefined, string | null>;
  support_scheme: string | null;
  claimed_by: string | null;
  status_reason: string | null;
  status_reason_text: string | null;
  suggested_offer_id: string | null;
  resume_on: DateOnly | null;
  outcome: string | null;
  sent_at: Timestamp | null;
  first_response_at: Timestamp | null;
  response_due_at: Timestamp | null;
  escalated_at: Timestamp | null;
  redacted_at: Timestamp | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface ReferralEventsTable {
  id: Generated<string>;
  referral_id: string;
  from_status: string | null;
  to_status: string;
  fhir_status: string;
  /** Null: Laget itself. */
  actor_user_id: string | null;
  reason: string | null;
  reason_text: string | null;
  at: GeneratedTimestamp;
}

export interface ReferralFeedbackTable {
  referral_id: string;
  rating: string;
  words: Generated<string>;
  recorded_by: string;
  recorded_at: GeneratedTimestamp;
}

export interface DB {
  municipalities: MunicipalitiesTable;
  units: UnitsTable;
  unit_renames: UnitRenamesTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  auth_events: AuthEventsTable;
  cases: CasesTable;
  case_subjects: CaseSubjectsTable;
  case_participants: CaseParticipantsTable;
  case_handovers: CaseHandoversTable;
  case_notes: CaseNotesTable;
  case_note_versions: CaseNoteVersionsTable;
  consents: ConsentsTable;
  consent_history: ConsentHistoryTable;
  legal_statutes: LegalStatutesTable;
  disclosures: DisclosuresTable;
  audit_events: AuditEventsTable;
  audit_chain_heads: AuditChainHeadsTable;
  notifications: NotificationsTable;
  conversations: ConversationsTable;
  conversation_members: ConversationMembersTable;
  conversation_reads: ConversationReadsTable;
  messages: MessagesTable;
  message_edits: MessageEditsTable;
  user_event_counters: UserEventCountersTable;
  user_events: UserEventsTable;
  live_documents: LiveDocumentsTable;
  live_document_updates: LiveDocumentUpdatesTable;
  document_revisions: DocumentRevisionsTable;
  plan_measures: PlanMeasuresTable;
  plan_settings: PlanSettingsTable;
  meeting_settings: MeetingSettingsTable;
  meeting_series: MeetingSeriesTable;
  meeting_series_units: MeetingSeriesUnitsTable;
  meeting_series_users: MeetingSeriesUsersTable;
  meeting_external_participants: MeetingExternalParticipantsTable;
  meetings: MeetingsTable;
  meeting_attendance: MeetingAttendanceTable;
  meeting_minutes_versions: MeetingMinutesVersionsTable;
  agenda_items: AgendaItemsTable;
  agenda_item_outcomes: AgendaItemOutcomesTable;
  meeting_reminders: MeetingRemindersTable;
  calendar_tokens: CalendarTokensTable;
  offers: OffersTable;
  referrals: ReferralsTable;
  referral_events: ReferralEventsTable;
  referral_feedback: ReferralFeedbackTable;
}

export type UserRow = Selectable<UsersTable>;
export type UnitRow = Selectable<UnitsTable>;
export type NewUser = Insertable<UsersTable>;
