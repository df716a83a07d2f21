import type { ReferralStatus } from "@laget/policy";
import { useT } from "../i18n/I18nProvider.tsx";
import { statusKey, statusTone } from "./queries.ts";

/** A referral's status as a chip, in Norwegian ("Akseptert", "Trukket"). */
export function StatusChip({ status }: { status: ReferralStatus }) {
  const t = useT();
  return (
    <span className={`badge badge--${statusTone(status)}`} data-status={status}>
      {t(statusKey(status))}
    </span>
  );
}
