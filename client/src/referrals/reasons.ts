import type { ReferralStatus } from "@laget/policy";
import type { MessageKey, TFunction } from "../i18n/types.ts";

/** A coded reason in words; Laget's own reasons (consent, case) only for the referring side, who knows the case. */
export function reasonText(t: TFunction, status: ReferralStatus, reason: string | null, referrerSide: boolean): string | null {
  if (!reason) return null;
  if (status === "declined") return t(`referrals.declineReason.${reason}` as MessageKey);
  if (status === "failed") return t(`referrals.failReason.${reason}` as MessageKey);
  if (status === "cancelled") return referrerSide ? t(`referrals.cancelReason.${reason}` as MessageKey) : null;
  return null;
}
