import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { Link } from "react-router";
import type { Actor } from "../auth/session.ts";
import { actionText } from "../cases/AccessLogTab.tsx";
import { DisclosureFacts } from "../cases/DisclosureTab.tsx";
import type { inferOutput } from "@trpc/tanstack-react-query";
import { useFormat } from "../cases/shared.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import { apiErrorOf, queryClient, trpc } from "../trpc.ts";
import { TextField } from "../ui/FormField.tsx";
import { ErrorMessage, LoadFailed, Loading, StatusMessage } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import { StackTable } from "../ui/StackTable.tsx";

type Disclosure = inferOutput<typeof trpc.disclosures.reviewQueue>[number];

export function isLeader(actor: Actor): boolean {
  return actor.memberships.some((m) => m.role === "leader");
}
export function canReview(actor: Actor): boolean {
  return actor.memberships.some((m) => m.role === "leader" || m.role === "admin");
}

/** /gjennomgang: a leader's review of legal-basis disclosures and unusual access; the audit-chain check. */
export function ReviewPage({ actor }: { actor: Actor }) {
  const t = useT();
  if (!canReview(actor)) {
    return (
      <>
        <PageHeading>{t("review.title")}</PageHeading>
        <p>{t("review.forbidden")}</p>
      </>
    );
  }
  return (
    <>
      <PageHeading>{t("review.title")}</PageHeading>
      <p>{t("review.intro")}</p>
      {isLeader(actor) && <DisclosureQueue />}
      {isLeader(actor) && <AccessReview />}
      <VerifyChain />
    </>
  );
}

function DisclosureQueue() {
  const t = useT();
  const headingId = useId();
  const queue = useQuery(trpc.disclosures.reviewQueue.queryOptions());
  const [status, setStatus] = useState<string | null>(null);
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>{t("review.disclosuresHeading")}</h2>
      <StatusMessage>{status}</StatusMessage>
      {queue.isPending ? (
        <Loading />
      ) : queue.isError ? (
        <LoadFailed error={queue.error} onRetry={() => void queue.refetch()} />
      ) : queue.data.length === 0 ? (
        <p>{t("review.disclosuresNone")}</p>
      ) : (
        <ul className="card-list">
          {queue.data.map((d) => (
            <ReviewCard key={d.id} disclosure={d} onStatus={setStatus} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ReviewCard({ disclosure: d, onStatus }: { disclosure: Disclosure; onStatus: (s: string) => void }) {
  const t = useT();
  const format = useFormat();
  const [note, setNote] = useState("");
  const [noteError, setNoteError] = useState<string | null>(null);
  const noteRef = useRef<HTMLInputElement>(null);
  const review = useMutation(
    trpc.disclosures.review.mutationOptions({
      onSuccess: async () => {
        onStatus(t("review.reviewed"));
        setNote("");
        await queryClient.invalidateQueries({ queryKey: trpc.disclosures.pathKey() });
      },
    }),
  );
  const send = (outcome: "approved" | "questioned") => {
    // A question must say what is asked (the server refuses it too).
    const missing = outcome === "questioned" && !note.trim();
    setNoteError(missing ? t("review.questionRequired") : null);
    if (missing) return noteRef.current?.focus();
    review.mutate({ disclosureId: d.id, outcome, ...(note.trim() ? { note: note.trim() } : {}) });
  };
  const serverNoteError = apiErrorOf(review.error).fieldErrors?.note ? t("review.questionRequired") : null;
  return (
    <li className="card">
      <h3 className="card__title">{t("disclosure.item", { from: d.fromUnit, to: d.toUnit, date: format.date(d.createdAt) })}</h3>
      <DisclosureFacts disclosure={d} />
      <ErrorMessage error={review.error} />
      <div className="form form--inline">
        <TextField
          label={t("review.noteFor", { to: d.toUnit })}
          hint={t("review.noteHint")}
          inputRef={noteRef}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          error={noteError ?? serverNoteError}
        />
        <div className="form__actions">
          <button type="button" className="button button--small" onClick={() => send("approved")}>
            {t("review.approve")}
          </button>
          <button type="button" className="button button--secondary button--small" onClick={() => send("questioned")}>
            {t("review.question")}
          </button>
        </div>
      </div>
    </li>
  );
}

function AccessReview() {
  const t = useT();
  const format = useFormat();
  const headingId = useId();
  const rows = useQuery(trpc.audit.accessReview.queryOptions());
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>{t("review.accessHeading")}</h2>
      <p className="muted">{t("review.accessIntro")}</p>
      {rows.isPending ? (
        <Loading />
      ) : rows.isError ? (
        <LoadFailed error={rows.error} onRetry={() => void rows.refetch()} />
      ) : rows.data.length === 0 ? (
        <p>{t("review.accessNone")}</p>
      ) : (
        <StackTable columns={[t("accessLog.colTime"), t("accessLog.colPerson"), t("accessLog.colUnit"), t("review.colKind"), t("accessLog.colAction"), t("review.colCase")]}>
          {rows.data.map((r) => (
            <tr key={r.id}>
              <td data-label={t("accessLog.colTime")}>{format.dateTime(r.at)}</td>
              <td data-label={t("accessLog.colPerson")}>{r.actorName ?? t("accessLog.unknown")}</td>
              <td data-label={t("accessLog.colUnit")}>{r.unitName ?? ""}</td>
              <td data-label={t("review.colKind")}>{t(`review.kind_${r.kind}`)}</td>
              <td data-label={t("accessLog.colAction")}>{actionText(t, r.action)}</td>
              <td data-label={t("review.colCase")}>
                {/* Named only where the leader may see the case; otherwise a letter that tells nothing but "the same case". */}
                {!r.case ? "" : r.case.visible ? <Link to={`/saker/${r.case.caseId}`}>{r.case.names.join(", ")}</Link> : t("review.caseHidden", { letter: r.case.letter })}
              </td>
            </tr>
          ))}
        </StackTable>
      )}
    </section>
  );
}

function VerifyChain() {
  const t = useT();
  const headingId = useId();
  const verify = useQuery({ ...trpc.audit.verify.queryOptions(), enabled: false, gcTime: 0 });
  const result = verify.data;
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>{t("review.verifyHeading")}</h2>
      <p className="muted">{t("review.verifyIntro")}</p>
      <button type="button" className="button" onClick={() => void verify.refetch()}>
        {t("review.verify")}
      </button>
      <div role="status" className="verify-result">
        {verify.isFetching ? (
          <Loading />
        ) : result ? (
          <p className={result.ok ? "alert alert--success" : "alert alert--error"}>
            {result.ok
              ? t("review.verifyOk", { count: result.checked })
              : t("review.verifyBroken", { id: String(result.brokenAtId ?? ""), problem: result.problem ?? "" })}
          </p>
        ) : null}
      </div>
      {verify.isError && <ErrorMessage error={verify.error} />}
    </section>
  );
}
