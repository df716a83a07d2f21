import type { Migration } from "kysely/migration";
import * as foundation from "./0001_foundation.ts";
import * as casesConsentAudit from "./0002_cases_consent_audit.ts";
import * as messaging from "./0003_messaging.ts";
import * as plans from "./0004_plans.ts";
import * as notificationConversation from "./0005_notification_conversation.ts";
import * as planUpdates from "./0006_plan_updates.ts";
import * as userEventRetention from "./0007_user_event_retention.ts";
import * as confidentialUnitKinds from "./0008_confidential_unit_kinds.ts";
import * as uniqueActiveUnitNames from "./0009_unique_active_unit_names.ts";
import * as uniqueParticipants from "./0010_unique_participants.ts";
import * as auditAnchor from "./0011_audit_anchor.ts";
import * as planPendingEditors from "./0012_plan_pending_editors.ts";
import * as documentsByName from "./0013_documents_by_name.ts";
import * as userEventsResources from "./0014_user_events_resources.ts";
import * as meetings from "./0015_meetings.ts";
import * as minutesCorrection from "./0016_minutes_correction.ts";
import * as referrals from "./0017_referrals.ts";
import * as auditChainedInOneStatement from "./0018_audit_chained_in_one_statement.ts";

/** Every migration, in order. Names are permanent: never rename or reorder them. */
export const migrations: Record<string, Migration> = {
  "0001_foundation": foundation,
  "0002_cases_consent_audit": casesConsentAudit,
  "0003_messaging": messaging,
  "0004_plans": plans,
  "0005_notification_conversation": notificationConversation,
  "0006_plan_updates": planUpdates,
  "0007_user_event_retention": userEventRetention,
  "0008_confidential_unit_kinds": confidentialUnitKinds,
  "0009_unique_active_unit_names": uniqueActiveUnitNames,
  "0010_unique_participants": uniqueParticipants,
  "0011_audit_anchor": auditAnchor,
  "0012_plan_pending_editors": planPendingEditors,
  "0013_documents_by_name": documentsByName,
  "0014_user_events_resources": userEventsResources,
  "0015_meetings": meetings,
  "0016_minutes_correction": minutesCorrection,
  "0017_referrals": referrals,
  "0018_audit_chained_in_one_statement": auditChainedInOneStatement,
};
