import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Link } from "react-router";
import type { Actor } from "../auth/session.ts";
import { useFormat, useT } from "../i18n/I18nProvider.tsx";
import { referralBoxesFor, seesReferralFigures } from "../shell/sections.ts";
import { trpc } from "../trpc.ts";
import { LoadFailed, Loading } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import { StackTable } from "../ui/StackTable.tsx";
import type { ReferralSummary } from "./queries.ts";
import { StatusChip } from "./StatusChip.tsx";

type Box = "inbox" | "sent";

/**
 * /henvisninger: a volunteer contact's inbox (referrals to their own units, with only
 * the first name), case work's sent referrals (and what their units received, when
 * anything). Kept current by the event stream (realtime.ts refetches on referral.changed).
 */
export function ReferralsPage({ actor }: { actor: Actor }) {
  const t = useT();
  const boxes = referralBoxesFor(actor.memberships);
  return (
    <>
      <PageHeading>{t("referrals.title")}</PageHeading>
      <p>{t("referrals.intro")}</p>
      {seesReferralFigures(actor.memberships) && (
        <p>
          <Link to="/henvisninger/tall">{t("referrals.figuresLink")}</Link>
        </p>
      )}
      {boxes.length === 0 && <p className="empty">{t("referrals.noBoxes")}</p>}
      {boxes.map((box, i) => (
        <ReferralBox key={box} box={box} primary={i === 0} />
      ))}
    </>
  );
}

/** One box as a table; a box that is not the person's first is shown only when it holds something. */
function ReferralBox({ box, primary }: { box: Box; primary: boolean }) {
  const t = useT();
  const format = useFormat();
  const headingId = useId();
  const list = useQuery(trpc.referrals.list.queryOptions({ box }));
  if (!primary && (!list.data || list.data.length === 0)) return null;
  const columns =
    box === "inbox"
      ? [t("referrals.col.child"), t("referrals.col.offer"), t("referrals.col.status"), t("referrals.col.sent"), t("referrals.col.updated")]
      : [t("referrals.col.child"), t("referrals.col.recipient"), t("referrals.col.status"), t("referrals.col.sent"), t("referrals.col.updated")];
  return (
    <section aria-labelledby={headingId} className="referral-box">
      <h2 id={headingId}>{t(`referrals.boxHeading.${box}`)}</h2>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <LoadFailed error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.length === 0 ? (
        <p className="empty" role="status">
          {t(`referrals.empty.${box}`)}
        </p>
      ) : (
        <StackTable columns={columns}>
          {list.data.map((r) => (
            <tr key={r.id}>
              <th scope="row" data-label={t("referrals.col.child")}>
                <ReferralLink referral={r} />
              </th>
              {box === "inbox" ? (
                <td data-label={t("referrals.col.offer")}>{r.offerTitle ?? t("referrals.wholeUnit", { unit: r.recipientUnitName })}</td>
              ) : (
                <td data-label={t("referrals.col.recipient")}>{r.offerTitle ? t("referrals.form.offerOption", { offer: r.offerTitle, unit: r.recipientUnitName }) : r.recipientUnitName}</td>
              )}
              <td data-label={t("referrals.col.status")}>
                <StatusChip status={r.status} />
              </td>
              <td data-label={t("referrals.col.sent")}>{r.sentAt ? format.dateTime(r.sentAt) : t("referrals.notSent")}</td>
              <td data-label={t("referrals.col.updated")}>{format.dateTime(r.updatedAt)}</td>
            </tr>
          ))}
        </StackTable>
      )}
    </section>
  );
}

function ReferralLink({ referral: r }: { referral: ReferralSummary }) {
  const t = useT();
  const name = r.withdrawn || r.firstName === null ? t("referrals.withdrawnName") : r.firstName;
  return <Link to={`/henvisninger/${r.id}`}>{name}</Link>;
}
