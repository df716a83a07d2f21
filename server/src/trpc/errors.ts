import type { AppErrorCode } from "@laget/domain";
import { TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { AppError } from "../errors.ts";

/** The one place domain errors become tRPC codes. */
const trpcCodeFor: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  NOT_FOUND: "NOT_FOUND",
  FORBIDDEN: "FORBIDDEN",
  UNAUTHENTICATED: "UNAUTHORIZED",
  INVALID_CREDENTIALS: "UNAUTHORIZED",
  TOO_MANY_ATTEMPTS: "TOO_MANY_REQUESTS",
  PASSWORD_CHANGE_REQUIRED: "FORBIDDEN",
  WRONG_CURRENT_PASSWORD: "BAD_REQUEST",
  PASSWORD_REUSED: "BAD_REQUEST",
  EMAIL_TAKEN: "CONFLICT",
  UNIT_INACTIVE: "BAD_REQUEST",
  UNIT_NAME_TAKEN: "CONFLICT",
  INVALID_PARENT_UNIT: "BAD_REQUEST",
  LAST_ADMIN: "CONFLICT",
  CROSS_SITE_REQUEST: "FORBIDDEN",
  VALIDATION: "BAD_REQUEST",
  NO_BASIS: "FORBIDDEN",
  NOT_COORDINATOR: "FORBIDDEN",
  CASE_CLOSED: "CONFLICT",
  INVALID_STATE: "CONFLICT",
  CONSENT_PERIOD_TOO_LONG: "BAD_REQUEST",
  CHILD_VIEWS_REQUIRED: "BAD_REQUEST",
  VOLUNTEER_NOT_PARTICIPANT: "BAD_REQUEST",
  VOLUNTEER_REFERRAL_ONLY: "BAD_REQUEST",
  MESSAGE_EMPTY: "BAD_REQUEST",
  MESSAGE_TOO_LONG: "BAD_REQUEST",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  NOT_AUTHOR: "FORBIDDEN",
  NOT_GROUP_OWNER: "FORBIDDEN",
  INVALID_RECURRENCE: "BAD_REQUEST",
  NOT_AN_OCCURRENCE: "NOT_FOUND",
  MEETING_CONSENT_MISSING: "PRECONDITION_FAILED",
  MINUTES_LOCKED: "CONFLICT",
  REFERRAL_CONSENT_MISSING: "FORBIDDEN",
  REFERRAL_REASON_REQUIRED: "BAD_REQUEST",
  REFERRAL_ALREADY_ANSWERED: "CONFLICT",
  REFERRAL_RECIPIENT_INVALID: "BAD_REQUEST",
};

export function toTRPCError(error: AppError): TRPCError {
  return new TRPCError({ code: trpcCodeFor[error.code], message: error.message, cause: error });
}

type Issue = { path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>; message: string };

/** Field errors ("memberships.0.unitId" → messages) from a zod / Standard Schema failure. */
export function fieldErrorsOf(cause: unknown): Record<string, string[]> | null {
  const issues = (cause as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return null;
  const fields: Record<string, string[]> = {};
  for (const issue of issues as Issue[]) {
    const key = (issue.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join(".") || "_";
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

/** The domain code a client sees in `error.data.appCode`. */
export function appCodeOf(error: TRPCError): AppErrorCode | null {
  if (error.cause instanceof AppError) return error.cause.code;
  if (error.code === "BAD_REQUEST" && fieldErrorsOf(error.cause)) return "VALIDATION";
  if (error.code === "UNAUTHORIZED") return "UNAUTHENTICATED";
  return null;
}
