import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState, type DragEvent } from "react";
import { Link } from "react-router";
import type { Actor } from "../auth/session.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import type { TFunction } from "../i18n/types.ts";
import { trpc } from "../trpc.ts";
import { ConfirmButton } from "../ui/ConfirmButton.tsx";
import { SelectField, TextField } from "../ui/FormField.tsx";
import { ErrorMessage, LoadFailed, Loading } from "../ui/messages.tsx";
import { AddAgendaItem } from "./AddAgendaItem.tsx";
import { Minutes } from "./MinutesEditor.tsx";
import { Outcomes } from "./Outcomes.tsx";
import { refreshMeetings, useAgenda, type AgendaItem, type MeetingDetail } from "./queries.ts";

/** How an agenda item is named to this reader: the case's label, the pseudonym, the topic, or "Generelt". */
export function itemTitle(t: TFunction, item: Pick<AgendaItem, "kind" | "caseLabel" | "pseudonym" | "title">): string {
  if (item.kind === "general") return t("meetings.agenda.general");
  if (item.kind === "case") return item.caseLabel ?? t("meetings.agenda.kind.case");
  if (item.kind === "anonymous") return item.pseudonym ?? t("meetings.agenda.kind.anonymous");
  return item.title ?? t("meetings.agenda.kind.topic");
}

function move<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [x] = next.splice(from, 1);
  next.splice(to, 0, x!);
  return next;
}

/**
 * Dagsorden: the items this reader may see, in order. Order by dragging, or with the
 * Opp/Ned buttons (the keyboard way); each item has its live minutes and its outcomes.
 */
export function Agenda({ actor, detail, locked, onStatus }: { actor: Actor; detail: MeetingDetail; locked: boolean; onStatus: (s: string) => void }) {
  const t = useT();
  const headingId = useId();
  const agenda = useAgenda(detail.meeting.id);
  const [order, setOrder] = useState<string[] | null>(null);
  const [dragged, setDragged] = useState<string | null>(null);
  const [carried, setCarried] = useState<{ meetingId: string; carried: number } | null>(null);
  const reorder = useMutation(
    trpc.agenda.reorder.mutationOptions({
      onSettled: async () => {
        await refreshMeetings();
        setOrder(null);
      },
    }),
  );
  const carryOver = useMutation(
    trpc.agenda.carryOver.mutationOptions({
      onSuccess: async (r) => {
        setCarried(r);
        onStatus(t("meetings.agenda.carriedOver", { count: r.carried }));
        await refreshMeetings();
      },
    }),
  );
  if (agenda.isPending) return <Loading />;
  if (agenda.isError) return <LoadFailed error={agenda.error} onRetry={() => void agenda.refetch()} />;
  const byId = new Map(agenda.data.items.map((i) => [i.id, i]));
  const sorted = [...agenda.data.items].sort((a, b) => a.position - b.position);
  // The general section stays first; the other items are ordered (agenda.reorder takes them alone).
  const general = sorted.filter((i) => i.kind === "general");
  const movable = order ? order.map((id) => byId.get(id)).filter((i): i is AgendaItem => Boolean(i)) : sorted.filter((i) => i.kind !== "general");
  const items = [...general, ...movable];
  const canOrder = detail.abilities.edit && !locked;
  const moveTo = (from: number, to: number) => {
    if (to < 0 || to >= movable.length || from === to) return;
    const ids = move(
      movable.map((i) => i.id),
      from,
      to,
    );
    setOrder(ids);
    onStatus(t("meetings.agenda.moved", { title: itemTitle(t, movable[from]!), position: general.length + to + 1 }));
    reorder.mutate({ meetingId: detail.meeting.id, orderedIds: ids });
  };
  const onDrop = (e: DragEvent, targetId: string) => {
    e.preventDefault();
    if (!dragged) return;
    moveTo(
      movable.findIndex((i) => i.id === dragged),
      movable.findIndex((i) => i.id === targetId),
    );
    setDragged(null);
  };

  return (
    <section aria-labelledby={headingId} className="meeting-section">
      <h2 id={headingId}>{t("meetings.agenda.heading")}</h2>
      {canOrder && movable.length > 1 && <p className="muted no-print">{t("meetings.agenda.dragHint")}</p>}
      {items.length === 0 ? (
        <p>{t("meetings.agenda.empty")}</p>
      ) : (
        <ol className="agenda">
          {items.map((item, index) => {
            const at = index - general.length;
            const orderable = canOrder && at >= 0;
            return (
              <li
                key={item.id}
                className={dragged === item.id ? "agenda__item agenda__item--dragging" : "agenda__item"}
                draggable={orderable}
                onDragStart={(e) => {
                  e.dataTransfer.effectAllowed = "move";
                  e.dataTransfer.setData("text/plain", item.id);
                  setDragged(item.id);
                }}
                onDragEnd={() => setDragged(null)}
                onDragOver={(e) => {
                  if (orderable && dragged) e.preventDefault();
                }}
                onDrop={(e) => onDrop(e, item.id)}
              >
                <AgendaItemCard
                  actor={actor}
                  detail={detail}
                  item={item}
                  number={index + 1}
                  locked={locked}
                  onStatus={onStatus}
                  ordering={orderable ? { first: at === 0, last: at === movable.length - 1, up: () => moveTo(at, at - 1), down: () => moveTo(at, at + 1) } : null}
                />
              </li>
            );
          })}
        </ol>
      )}
      <ErrorMessage error={reorder.error} />
      {detail.abilities.writeAgenda && !locked && <AddAgendaItem detail={detail} onStatus={onStatus} />}
      {detail.abilities.writeAgenda && (
        <div className="row-actions no-print">
          <button type="button" className="button button--secondary" disabled={carryOver.isPending} onClick={() => carryOver.mutate({ meetingId: detail.meeting.id })}>
            {t("meetings.agenda.carryOver")}
          </button>
          {carried && carried.carried > 0 && <Link to={`/moter/mote/${carried.meetingId}`}>{t("meetings.agenda.nextMeeting")}</Link>}
        </div>
      )}
      <ErrorMessage error={carryOver.error} />
    </section>
  );
}

type Ordering = { first: boolean; last: boolean; up: () => void; down: () => void } | null;

function AgendaItemCard({ actor, detail, item, number, locked, ordering, onStatus }: { actor: Actor; detail: MeetingDetail; item: AgendaItem; number: number; locked: boolean; ordering: Ordering; onStatus: (s: string) => void }) {
  const t = useT();
  const headingId = useId();
  const title = itemTitle(t, item);
  const people = detail.participants.users;
  const presenter = item.presenterUserId ? (people.find((p) => p.id === item.presenterUserId)?.name ?? null) : null;
  const [editing, setEditing] = useState(false);
  const update = useMutation(
    trpc.agenda.update.mutationOptions({
      onSuccess: async () => {
        onStatus(t("meetings.agenda.detailsSaved"));
        setEditing(false);
        await refreshMeetings();
      },
    }),
  );
  const remove = useMutation(
    trpc.agenda.remove.mutationOptions({
      onSuccess: async () => {
        onStatus(t("meetings.agenda.removed"));
        await refreshMeetings();
      },
    }),
  );
  const [minutes, setMinutes] = useState(item.plannedMinutes === null ? "" : String(item.plannedMinutes));
  const [presenterId, setPresenterId] = useState(item.presenterUserId ?? "");
  const canEdit = item.abilities.edit && !locked;
  return (
    <article className="panel agenda-item" aria-labelledby={headingId}>
      <div className="agenda-item__head">
        <h3 id={headingId} className="agenda-item__title">
          {t("meetings.agenda.itemLabel", { number, title })}
        </h3>
        <span className="badge badge--off">{t(`meetings.agenda.kind.${item.kind}`)}</span>
        {item.status !== "open" && <span className="badge badge--ok">{t(`meetings.agenda.itemStatus.${item.status as "done" | "carried"}`)}</span>}
        {ordering && (
          <span className="row-actions agenda-item__order no-print">
            <button type="button" className="button button--secondary button--small" aria-label={t("meetings.agenda.moveUp", { title })} disabled={ordering.first} onClick={ordering.up}>
              {t("meetings.agenda.up")}
            </button>
            <button type="button" className="button button--secondary button--small" aria-label={t("meetings.agenda.moveDown", { title })} disabled={ordering.last} onClick={ordering.down}>
              {t("meetings.agenda.down")}
            </button>
          </span>
        )}
      </div>
      <p className="muted">
        {[item.plannedMinutes !== null ? t("meetings.agenda.minutes", { count: item.plannedMinutes }) : null, presenter ? t("meetings.agenda.presenter", { name: presenter }) : null, item.carriedFromId ? t("meetings.agenda.carried") : null]
          .filter(Boolean)
          .join(" · ")}
      </p>
      {item.description && <p className="agenda-item__description">{item.description}</p>}
      {item.kind === "case" && item.caseId && item.abilities.followCaseLink && (
        <p>
          <Link to={`/saker/${item.caseId}`}>{t("meetings.agenda.openCase")}</Link>
        </p>
      )}
      {item.kind === "anonymous" && item.linkedCaseId && (
        <p className="muted">
          {t("meetings.agenda.coordinatorSees")} <Link to={`/saker/${item.linkedCaseId}`}>{t("meetings.agenda.openCase")}</Link>
        </p>
      )}
      {canEdit && item.kind !== "general" && (
        <div className="row-actions no-print">
          <button type="button" className="button button--secondary button--small" aria-expanded={editing} onClick={() => setEditing((e) => !e)}>
            {t("meetings.agenda.details")}
          </button>
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => update.mutate({ agendaItemId: item.id, status: item.status === "done" ? "open" : "done" })}
          >
            {item.status === "done" ? t("meetings.agenda.markOpen") : t("meetings.agenda.markDone")}
          </button>
        </div>
      )}
      {editing && (
        <form
          className="form no-print"
          onSubmit={(e) => {
            e.preventDefault();
            update.mutate({ agendaItemId: item.id, plannedMinutes: minutes ? Number(minutes) : null, presenterUserId: presenterId || null });
          }}
        >
          <div className="field-row">
            <TextField label={t("meetings.agenda.plannedMinutes")} type="number" min={1} max={240} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
            <SelectField label={t("meetings.agenda.presenterField")} value={presenterId} onChange={(e) => setPresenterId(e.target.value)}>
              <option value="">{t("meetings.editor.nobody")}</option>
              {people.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </SelectField>
          </div>
          <div className="form__actions">
            <button type="submit" className="button button--small">
              {t("meetings.agenda.saveDetails")}
            </button>
          </div>
        </form>
      )}
      <ErrorMessage error={update.error} />
      <h4>{item.kind === "general" ? t("meetings.minutes.generalHeading") : t("meetings.minutes.heading")}</h4>
      <Minutes key={`${detail.meeting.minutesState}:${detail.meeting.minutesVersion}`} documentName={item.documentName} title={title} me={actor} canWrite={item.abilities.writeMinutes} locked={locked} />
      {item.kind !== "general" && <Outcomes detail={detail} item={item} locked={locked} onStatus={onStatus} />}
      {canEdit && item.kind !== "general" && (
        <div className="no-print">
          <ConfirmButton label={t("meetings.agenda.remove")} question={t("meetings.agenda.removeQuestion", { title })} confirmLabel={t("meetings.agenda.removeConfirm")} onConfirm={() => remove.mutate({ agendaItemId: item.id })} />
        </div>
      )}
      <ErrorMessage error={remove.error} />
    </article>
  );
}

/** The user's cases to put on an agenda (those they can see). */
export function useMyCases() {
  return useQuery({ ...trpc.cases.list.queryOptions({}), staleTime: 30_000 });
}
