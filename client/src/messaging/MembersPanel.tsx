import type { PresenceStatus } from "@laget/domain";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import type { Actor } from "../auth/session.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import { queryClient, trpc } from "../trpc.ts";
import { ConfirmButton } from "../ui/ConfirmButton.tsx";
import { ErrorMessage, LoadFailed, Loading } from "../ui/messages.tsx";
import { PeopleChooser } from "./PeopleChooser.tsx";
import { useDirectory } from "./queries.ts";
import type { ConversationSummary } from "./thread-cache.ts";
import { useConnection, usePresence, useRealtime } from "./RealtimeProvider.tsx";

/** A coloured dot with its status in words next to it (never colour alone). */
export function Presence({ status }: { status: PresenceStatus }) {
  const t = useT();
  return (
    <span className="presence">
      <span className={`presence__dot presence__dot--${status}`} aria-hidden="true" />
      <span className="presence__label">{t(`messaging.presence_${status}`)}</span>
    </span>
  );
}

type Member = { userId: string; displayName: string; units: { unitId: string; unitName: string }[]; isOwner: boolean };

/**
 * Who is in the conversation (for a case thread: who may read it now), by name and unit,
 * with presence. In a group its owner adds colleagues from the municipality's staff
 * directory and removes members; a removed member loses the conversation at once.
 */
export function MembersPanel({ conversation, actor }: { conversation: ConversationSummary; actor: Actor }) {
  const members = useQuery(trpc.conversations.members.queryOptions({ conversationId: conversation.id }));
  if (members.isPending) return null;
  if (members.isError) return <LoadFailed error={members.error} onRetry={() => void members.refetch()} />;
  return <MembersList conversation={conversation} actor={actor} list={members.data} />;
}

function MembersList({ conversation, actor, list }: { conversation: ConversationSummary; actor: Actor; list: Member[] }) {
  const t = useT();
  const rt = useRealtime();
  const connection = useConnection();
  const presence = usePresence();
  const conversationId = conversation.id;
  // Open at first when the list is short; after that only the reader opens or closes it.
  const [open, setOpen] = useState(() => list.length <= 4);
  const [status, setStatus] = useState("");
  const summaryRef = useRef<HTMLElement>(null);
  const managing = conversation.kind === "group" && conversation.ownerUserId === actor.id;
  const ids = list.map((m) => m.userId).join(",");

  useEffect(() => {
    if (connection === "connected" && ids) rt.queryPresence(ids.split(",")).catch(() => {});
  }, [rt, connection, ids]);

  const remove = useMutation(
    trpc.conversations.removeMembers.mutationOptions({
      onSuccess: async (_data, input) => {
        const gone = list.find((m) => m.userId === input.userIds[0]);
        setStatus(gone ? t("messaging.removedMember", { name: gone.displayName }) : "");
        await queryClient.invalidateQueries({ queryKey: trpc.conversations.members.queryKey({ conversationId }) });
        // The row (and its button) is gone: keep the reading position at the panel.
        summaryRef.current?.focus();
      },
    }),
  );
  const heading = t(conversation.kind === "group" ? "messaging.groupMembersHeading" : "messaging.membersHeading", { count: list.length });
  const name = (m: Member) =>
    m.units.length ? t("messaging.memberUnits", { name: m.displayName, units: m.units.map((u) => u.unitName).join(", ") }) : m.displayName;

  return (
    <details className="members" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary ref={summaryRef}>{heading}</summary>
      <ul className="members__list">
        {list.map((m) => (
          <li key={m.userId}>
            <span className="members__name">{name(m)}</span>
            {m.isOwner && <span className="muted"> ({t("messaging.owner")})</span>}{" "}
            <Presence status={m.userId === actor.id && connection === "connected" ? "online" : (presence.get(m.userId) ?? "offline")} />
            {managing && !m.isOwner && (
              <ConfirmButton
                label={t("messaging.removeMember")}
                accessibleLabel={`${t("messaging.removeMember")} ${m.displayName}`}
                question={t("messaging.confirmRemoveMember", { name: m.displayName })}
                confirmLabel={t("messaging.confirmRemoveMemberYes")}
                disabled={remove.isPending}
                onConfirm={() => {
                  remove.reset();
                  remove.mutate({ conversationId, userIds: [m.userId] });
                }}
              />
            )}
          </li>
        ))}
      </ul>
      <ErrorMessage error={remove.error} />
      <p role="status" className="members__status">
        {status}
      </p>
      {conversation.kind === "group" && !managing && <LeaveGroup conversationId={conversationId} actorId={actor.id} />}
      {managing && <AddMembers conversationId={conversationId} memberIds={list.map((m) => m.userId)} onAdded={(n) => setStatus(t("messaging.addedMembers", { count: n }))} />}
    </details>
  );
}

/** A member who is not the owner leaves the group: the conversation is gone for them at once. */
function LeaveGroup({ conversationId, actorId }: { conversationId: string; actorId: string }) {
  const t = useT();
  const navigate = useNavigate();
  const leave = useMutation(
    trpc.conversations.removeMembers.mutationOptions({
      onSuccess: async () => {
        queryClient.setQueryData(trpc.conversations.list.queryKey(), (list) => list?.filter((c) => c.id !== conversationId));
        await navigate("/meldinger");
      },
    }),
  );
  return (
    <div className="members__leave">
      <ConfirmButton
        label={t("messaging.leaveGroup")}
        question={t("messaging.confirmLeaveGroup")}
        confirmLabel={t("messaging.confirmLeaveGroupYes")}
        disabled={leave.isPending}
        onConfirm={() => {
          leave.reset();
          leave.mutate({ conversationId, userIds: [actorId] });
        }}
      />
      <ErrorMessage error={leave.error} />
    </div>
  );
}

/** The owner's form: find colleagues in the municipality's staff directory and add them. */
function AddMembers({ conversationId, memberIds, onAdded }: { conversationId: string; memberIds: string[]; onAdded: (count: number) => void }) {
  const t = useT();
  const directory = useDirectory();
  const headingId = useId();
  const [chosen, setChosen] = useState<string[]>([]);
  // A new round after adding: the chooser starts afresh, its filter cleared.
  const [round, setRound] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const add = useMutation(
    trpc.conversations.addMembers.mutationOptions({
      onSuccess: async (_data, input) => {
        setChosen([]);
        setRound((r) => r + 1);
        onAdded(input.userIds.length);
        await queryClient.invalidateQueries({ queryKey: trpc.conversations.members.queryKey({ conversationId }) });
      },
    }),
  );
  if (directory.isPending) return <Loading />;
  if (directory.isError) return <LoadFailed error={directory.error} onRetry={() => void directory.refetch()} />;

  const current = new Set(memberIds);
  const candidates = directory.data.filter((p) => !current.has(p.id));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (add.isPending) return;
    const userIds = chosen.filter((id) => !current.has(id));
    if (userIds.length === 0) {
      setError(t("messaging.addMembersRequired"));
      return;
    }
    setError(null);
    add.mutate({ conversationId, userIds });
  };

  return (
    <section className="members__add" aria-labelledby={headingId}>
      <h3 id={headingId}>{t("messaging.addMembersHeading")}</h3>
      {candidates.length === 0 ? (
        <p>{t("messaging.noCandidates")}</p>
      ) : (
        <form className="form" onSubmit={submit} noValidate>
          <ErrorMessage error={add.error} />
          <fieldset className="fieldset" aria-describedby={error ? `${headingId}-error` : undefined}>
            <legend>{t("messaging.addMembersChoose")}</legend>
            {error && (
              <p id={`${headingId}-error`} className="field__error" role="alert">
                {error}
              </p>
            )}
            <PeopleChooser key={round} people={candidates} chosen={chosen} onChange={setChosen} />
          </fieldset>
          <div className="form__actions">
            <button type="submit" className="button button--small">
              {t("messaging.addMembers")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
