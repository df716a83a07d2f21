import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { NavLink, Outlet, useOutletContext, useParams } from "react-router";
import type { Actor } from "../auth/session.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import type { MessageKey } from "../i18n/types.ts";
import { clearDraft, loadDraft } from "../messaging/drafts.ts";
import type { CaseEnded } from "../messaging/realtime.ts";
import { useCaseEnded, useRealtime } from "../messaging/RealtimeProvider.tsx";
import { trpc } from "../trpc.ts";
import { LoadFailed, Loading } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import { isNotFound, subjectNames, type CaseDetail } from "./shared.ts";

export type CaseContext = { actor: Actor; kase: CaseDetail };

/** The tabs' pages read the loaded case from here. */
export function useCase(): CaseContext {
  return useOutletContext<CaseContext>();
}

const tabs: { to: string; label: MessageKey; ability?: "readAccessLog" }[] = [
  { to: "", label: "caseTabs.overview" },
  { to: "plan", label: "plan.tab" },
  { to: "notater", label: "caseTabs.notes" },
  { to: "samtykke", label: "caseTabs.consent" },
  { to: "overlevering", label: "caseTabs.handover" },
  { to: "opplysninger", label: "caseTabs.disclosures" },
  { to: "samtale", label: "caseTabs.conversation" },
  { to: "henvisninger", label: "referrals.caseTab" },
  { to: "tilgangslogg", label: "caseTabs.accessLog", ability: "readAccessLog" },
];

/**
 * /saker/:caseId/*: the case's heading and its tabs (real links: each tab has its own
 * address, and the current one is marked with aria-current). A case that is hidden
 * and one that does not exist look exactly the same. While open, the page watches the
 * case over the socket: when the user's access ends, every tab of it is replaced at once
 * by a plain notice.
 */
export function CasePage({ actor }: { actor: Actor }) {
  const t = useT();
  const { caseId = "" } = useParams();
  const kase = useQuery(trpc.cases.get.queryOptions({ caseId }));
  const rt = useRealtime();
  const ended = useCaseEnded(caseId);
  const loaded = kase.isSuccess;
  useEffect(() => (loaded ? rt.watchCase(caseId) : undefined), [rt, caseId, loaded]);
  // Leaving the notice: a later visit asks the server afresh.
  useEffect(() => () => rt.dismissEnded(caseId), [rt, caseId]);

  if (ended) return <AccessEnded ended={ended} actor={actor} />;
  if (kase.isPending) return <Loading />;
  if (kase.isError) {
    if (isNotFound(kase.error)) return <CaseNotFound />;
    return <LoadFailed error={kase.error} onRetry={() => void kase.refetch()} />;
  }
  const c = kase.data;
  // A tab that needs an ability is shown only to whom the server says has it.
  const visibleTabs = tabs.filter((tab) => !tab.ability || c.abilities[tab.ability]);
  return (
    <>
      <p className="breadcrumb">
        <NavLink to="/saker" end>
          {t("cases.back")}
        </NavLink>
      </p>
      <PageHeading>{t("cases.caseTitle", { names: subjectNames(c.subjects) || t("cases.noSubjects") })}</PageHeading>
      <nav aria-label={t("caseTabs.label")} className="sub-nav case-tabs">
        <ul>
          {visibleTabs.map((tab) => (
            <li key={tab.to}>
              <NavLink to={tab.to ? `/saker/${c.id}/${tab.to}` : `/saker/${c.id}`} end>
                {t(tab.label)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      {!c.abilities.readAccessLog && <p className="muted">{t("caseTabs.accessLogCoordinatorOnly")}</p>}
      <Outlet context={{ actor, kase: c } satisfies CaseContext} />
    </>
  );
}

export function CaseNotFound() {
  const t = useT();
  return (
    <>
      <PageHeading>{t("cases.notFoundTitle")}</PageHeading>
      <p role="alert" className="alert alert--error">
        {t("cases.notFound")}
      </p>
      <p>{t("cases.notFoundHelp")}</p>
      <p>
        <NavLink to="/saker" end>
          {t("cases.back")}
        </NavLink>
      </p>
    </>
  );
}

/** What replaces every view of a case whose access ended: why, in neutral words, and the user's own unsent text. */
function AccessEnded({ ended, actor }: { ended: CaseEnded; actor: Actor }) {
  const t = useT();
  const [draft, setDraft] = useState(() => (ended.conversationId ? loadDraft(actor.id, ended.conversationId) : ""));
  return (
    <>
      <PageHeading>{t("cases.accessEnded.title")}</PageHeading>
      <div role="alert" className="alert alert--info">
        <p>
          {t("cases.accessEnded.title")}. {t(`cases.accessEnded.${ended.reason}`)}
        </p>
      </div>
      <p>{t("cases.accessEnded.help")}</p>
      {draft && ended.conversationId && (
        <section aria-labelledby="unsent-draft">
          <h2 id="unsent-draft">{t("cases.accessEnded.draftHeading")}</h2>
          <p>{t("cases.accessEnded.draftHelp")}</p>
          <textarea className="field__control" rows={4} readOnly value={draft} aria-labelledby="unsent-draft" />
          <p>
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={() => {
                clearDraft(actor.id, ended.conversationId!);
                setDraft("");
              }}
            >
              {t("cases.accessEnded.deleteDraft")}
            </button>
          </p>
        </section>
      )}
      <p>
        <NavLink to="/saker" end>
          {t("cases.back")}
        </NavLink>
      </p>
    </>
  );
}
