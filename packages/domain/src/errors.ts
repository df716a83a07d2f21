/**
 * Domain error codes shared by server and client. The server throws AppError with one
 * of these; the tRPC error formatter puts it in `error.data.appCode`; the client shows
 * the matching i18n message (`errors.<code>`).
 */
export const appErrorCodes = [
  "NOT_FOUND",
  "FORBIDDEN",
  "UNAUTHENTICATED",
  "INVALID_CREDENTIALS",
  "TOO_MANY_ATTEMPTS",
  "PASSWORD_CHANGE_REQUIRED",
  "WRONG_CURRENT_PASSWORD",
  "PASSWORD_REUSED",
  "EMAIL_TAKEN",
  "UNIT_INACTIVE",
  "UNIT_NAME_TAKEN",
  "INVALID_PARENT_UNIT",
  "LAST_ADMIN",
  "CROSS_SITE_REQUEST",
  "VALIDATION",
  "NO_BASIS",
  "NOT_COORDINATOR",
  "CASE_CLOSED",
  "INVALID_STATE",
  "CONSENT_PERIOD_TOO_LONG",
  "CHILD_VIEWS_REQUIRED",
  "VOLUNTEER_NOT_PARTICIPANT",
  "VOLUNTEER_REFERRAL_ONLY",
  "MESSAGE_EMPTY",
  "MESSAGE_TOO_LONG",
  "RATE_LIMITED",
  "NOT_AUTHOR",
  "NOT_GROUP_OWNER",
  "INVALID_RECURRENCE",
  "NOT_AN_OCCURRENCE",
  "MEETING_CONSENT_MISSING",
  "MINUTES_LOCKED",
  "REFERRAL_CONSENT_MISSING",
  "REFERRAL_REASON_REQUIRED",
  "REFERRAL_ALREADY_ANSWERED",
  "REFERRAL_RECIPIENT_INVALID",
] as const;
export type AppErrorCode = (typeof appErrorCodes)[number];
