import { useMutation, useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { useFormat } from "../cases/shared.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import type { MessageKey } from "../i18n/types.ts";
import { queryClient, trpc } from "../trpc.ts";
import { ErrorMessage, LoadFailed, Loading } from "../ui/messages.tsx";
import { ConfirmButton } from "../ui/ConfirmButton.tsx";

const reasonKey: Record<string, MessageKey> = {
  periodic: "plan.revisions.reason.periodic",
  last_editor_left: "plan.revisions.reason.last_editor_left",
  restore: "plan.revisions.reason.restore",
};

/**
 * Saved versions of the plan (time, who edited) and restoring one: the old content is
 * applied as a new change, so nothing is lost and every open copy receives it live.
 */
export function RevisionsPanel({ caseId, readOnly, onStatus }: { caseId: string; readOnly: boolean; onStatus: (s: string) => void }) {
  const t = useT();
  const format = useFormat();
  const headingId = useId();
  const revisions = useQuery({ ...trpc.plans.revisions.queryOptions({ caseId }), refetchOnWindowFocus: true });
  const restore = useMutation(
    trpc.plans.restoreRevision.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.plans.revisions.queryKey({ caseId }) }),
    }),
  );

  return (
    <section aria-labelledby={headingId} className="panel plan__section">
      <h3 id={headingId}>{t("plan.revisions.heading")}</h3>
      <p className="muted">{t("plan.revisions.explain")}</p>
      <ErrorMessage error={restore.error} />
      {revisions.isPending ? (
        <Loading />
      ) : revisions.isError ? (
        <LoadFailed error={revisions.error} onRetry={() => void revisions.refetch()} />
      ) : revisions.data.length === 0 ? (
        <p>{t("plan.revisions.empty")}</p>
      ) : (
        <ul className="card-list">
          {revisions.data.map((r) => {
            const date = format.dateTime(r.createdAt);
            const names = r.editors.map((e) => e.name ?? t("plan.revisions.unknownEditor")).join(", ");
            return (
              <li key={r.id} className="card">
                <p className="card__title">{date}</p>
                <p>{names ? t("plan.revisions.by", { names }) : t("plan.revisions.noEditors")}</p>
                <p className="muted">{t(reasonKey[r.reason] ?? "plan.revisions.reason.periodic")}</p>
                {!readOnly && (
                  <ConfirmButton
                    label={t("plan.revisions.restore")}
                    accessibleLabel={t("plan.revisions.restoreFor", { date })}
                    question={t("plan.revisions.restoreQuestion", { date })}
                    confirmLabel={t("plan.revisions.restoreConfirm")}
                    danger={false}
                    disabled={restore.isPending}
                    onConfirm={() => restore.mutate({ caseId, revisionId: r.id }, { onSuccess: () => onStatus(t("plan.revisions.restored", { date })) })}
                  />
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
