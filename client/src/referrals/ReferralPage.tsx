import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Link, useParams } from "react-router";
import { useFormat, useT } from "../i18n/I18nProvider.tsx";
import { apiErrorOf, trpc } from "../trpc.ts";
import { LoadFailed, Loading } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import type { ReferralView } from "./queries.ts";
import { reasonText } from "./reasons.ts";
import { RecipientView } from "./RecipientView.tsx";
import { ReferralActions } from "./ReferralActions.tsx";
import { StatusChip } from "./StatusChip.tsx";
import "./referrals.css";

/**
 * /henvisninger/:referralId: one referral, for either side. The recipient sees only the
 * minimum data (or "Henvisningen er trukket" once withdrawn), its history and the moves
 * the server says they may make (`abilities.moves`); the referrer sees the same and
 * where it came from. A referral one may not see is "not found", like a missing one.
 */
export function ReferralPage() {
  const t = useT();
  const { referralId = "" } = useParams();
  const referral = useQuery({ ...trpc.referrals.get.queryOptions({ referralId }), retry: (n, err) => n < 2 && apiErrorOf(err).appCode !== "NOT_FOUND" });
  if (referral.isPending) return <Loading />;
  if (referral.isError) {
    if (["NOT_FOUND", "VALIDATION"].includes(apiErrorOf(referral.error).appCode ?? "")) {
      return (
        <>
          <PageHeading>{t("referrals.notFoundTitle")}</PageHeading>
          <p role="alert" className="alert alert--error">
            {t("referrals.notFound")}
          </p>
          <p>
            <Link to="/henvisninger">{t("referrals.back")}</Link>
          </p>
        </>
      );
    }
    return <LoadFailed error={referral.error} onRetry={() => void referral.refetch()} />;
  }
  return <ReferralDetail view={referral.data} />;
}

export function ReferralDetail({ view }: { view: ReferralView }) {
  const t = useT();
  const historyId = useId();
  const referrer = view.referrer;
  return (
    <>
      <p className="breadcrumb">
        {referrer ? (
          <Link to={`/saker/${referrer.caseId}/henvisninger`}>{t("referrals.backToCase")}</Link>
        ) : (
          <Link to="/henvisninger">{t("referrals.back")}</Link>
        )}
      </p>
      <PageHeading>{view.data ? t("referrals.pageTitle", { name: view.data.firstName }) : t("referrals.pageTitlePlain")}</PageHeading>
      <p>
        <span className="visually-hidden">{t("referrals.col.status")}: </span>
        <StatusChip status={view.status} />
      </p>
      {view.data === null && (
        <div role="status" className="alert alert--info">
          <p>
            <strong>{t("referrals.withdrawn")}</strong>
          </p>
          <p>{t("referrals.withdrawnBody")}</p>
        </div>
      )}
      <div className="referral-page">
        <div>
          {view.data && (
            <section aria-label={t("referrals.view.heading")} className="panel">
              <RecipientView fields={{ offerTitle: view.offer?.title ?? null, supportScheme: view.supportScheme, data: view.data }} testId="referral-data" />
            </section>
          )}
          <ReferralFacts view={view} />
        </div>
        <div>
          <ReferralActions view={view} />
          <section aria-labelledby={historyId}>
            <h2 id={historyId}>{t("referrals.history.heading")}</h2>
            <ReferralHistory view={view} />
          </section>
        </div>
      </div>
    </>
  );
}

function ReferralFacts({ view }: { view: ReferralView }) {
  const t = useT();
  const format = useFormat();
  const referrerSide = !!view.referrer;
  const reason = reasonText(t, view.status, view.statusReason, referrerSide);
  const rows: [string, string][] = [];
  rows.push([t("referrals.facts.recipient"), view.recipientUnit.name]);
  if (view.offer) rows.push([t("referrals.facts.offer"), view.offer.title]);
  rows.push([t("referrals.facts.referredBy"), view.referredBy.name]);
  if (view.claimedBy) rows.push([t("referrals.facts.claimedBy"), view.claimedBy.name]);
  if (view.sentAt) rows.push([t("referrals.facts.sentAt"), format.dateTime(view.sentAt)]);
  if (view.responseDueAt && (view.status === "sent" || view.status === "received")) rows.push([t("referrals.facts.responseDueAt"), format.date(view.responseDueAt)]);
  if (view.resumeOn && view.status === "on_hold") rows.push([t("referrals.facts.resumeOn"), format.day(view.resumeOn)]);
  if (reason) rows.push([t("referrals.facts.statusReason"), view.statusReasonText ? `${reason}: ${view.statusReasonText}` : reason]);
  else if (view.statusReasonText && (view.status !== "cancelled" || referrerSide)) rows.push([t("referrals.facts.statusReason"), view.statusReasonText]);
  if (view.suggestedOffer) rows.push([t("referrals.facts.suggestedOffer"), view.suggestedOffer.title]);
  if (view.outcome) rows.push([t("referrals.facts.outcome"), view.outcome]);
  if (view.referrer) rows.push([t("referrals.facts.consent"), t("referrals.facts.consentValue", { version: view.referrer.consentVersion })]);
  return (
    <section aria-label={t("referrals.facts.heading")}>
      <h2>{t("referrals.facts.heading")}</h2>
      <dl className="facts">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function ReferralHistory({ view }: { view: ReferralView }) {
  const t = useT();
  const format = useFormat();
  if (view.history.length === 0) return <p className="muted">{t("referrals.history.empty")}</p>;
  return (
    <ol className="plain-list referral-history">
      {view.history.map((h, i) => {
        const reason = reasonText(t, h.to, h.reason, !!view.referrer);
        return (
          <li key={i}>
            {t("referrals.history.item", { status: t(`referrals.status.${h.to}`), date: format.dateTime(h.at) })}{" "}
            <span className="muted">{h.by === null ? t("referrals.history.byLaget") : t("referrals.history.by", { by: h.by })}</span>
            {reason && <span> ({reason})</span>}
          </li>
        );
      })}
    </ol>
  );
}
