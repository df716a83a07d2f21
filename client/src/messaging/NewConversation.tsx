import { groupKinds, type GroupKind } from "@laget/domain";
import { useMutation } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import type { Actor } from "../auth/session.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import { queryClient, trpc } from "../trpc.ts";
import { SelectField, TextField } from "../ui/FormField.tsx";
import { ErrorMessage, LoadFailed, Loading } from "../ui/messages.tsx";
import { focusFirstInvalid } from "../ui/validation.ts";
import { PeopleChooser, usePersonLabel, type DirectoryPerson } from "./PeopleChooser.tsx";
import { useDirectory } from "./queries.ts";

/** Start a direct conversation with one colleague, or create a group (team, forum, SLT group) with members. */
export function NewConversation({ actor, headingId }: { actor: Actor; headingId: string }) {
  const t = useT();
  const directory = useDirectory();
  const people = (directory.data ?? []).filter((p) => p.id !== actor.id);
  return (
    <>
      <h2 id={headingId}>{t("messaging.newTitle")}</h2>
      {directory.isPending ? (
        <Loading />
      ) : directory.isError ? (
        <LoadFailed error={directory.error} onRetry={() => void directory.refetch()} />
      ) : (
        <>
          <DirectForm people={people} />
          <GroupForm people={people} />
        </>
      )}
    </>
  );
}

function useOpen() {
  const navigate = useNavigate();
  return async (conversationId: string) => {
    await queryClient.invalidateQueries({ queryKey: trpc.conversations.list.queryKey() });
    void navigate(`/meldinger/${conversationId}`);
  };
}

function DirectForm({ people }: { people: DirectoryPerson[] }) {
  const t = useT();
  const label = usePersonLabel();
  const open = useOpen();
  const headingId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [userId, setUserId] = useState("");
  const [error, setError] = useState<string | null>(null);
  const direct = useMutation(trpc.conversations.direct.mutationOptions({ onSuccess: (c) => open(c.id) }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (direct.isPending) return;
    if (!userId) {
      setError(t("messaging.personRequired"));
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    setError(null);
    direct.mutate({ userId });
  };
  return (
    <section aria-labelledby={headingId} className="panel">
      <h3 id={headingId}>{t("messaging.directHeading")}</h3>
      <p>{t("messaging.directIntro")}</p>
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        <ErrorMessage error={direct.error} />
        <SelectField label={t("messaging.person")} required value={userId} onChange={(e) => setUserId(e.target.value)} error={error}>
          <option value="">{t("messaging.choosePerson")}</option>
          {people.map((p) => (
            <option key={p.id} value={p.id}>
              {label(p)}
            </option>
          ))}
        </SelectField>
        <div className="form__actions">
          <button type="submit" className="button">
            {t("messaging.startDirect")}
          </button>
        </div>
      </form>
    </section>
  );
}

function GroupForm({ people }: { people: DirectoryPerson[] }) {
  const t = useT();
  const open = useOpen();
  const headingId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [groupKind, setGroupKind] = useState<GroupKind>("team");
  const [title, setTitle] = useState("");
  const [memberIds, setMemberIds] = useState<string[]>([]);
  const [titleError, setTitleError] = useState<string | null>(null);
  const create = useMutation(trpc.conversations.createGroup.mutationOptions({ onSuccess: (c) => open(c.id) }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (create.isPending) return;
    if (!title.trim()) {
      setTitleError(t("messaging.groupTitleRequired"));
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    setTitleError(null);
    create.mutate({ groupKind, title: title.trim(), memberIds });
  };
  return (
    <section aria-labelledby={headingId} className="panel">
      <h3 id={headingId}>{t("messaging.groupHeading")}</h3>
      <p>{t("messaging.groupIntro")}</p>
      <p className="alert alert--info">{t("messaging.personalDataWarning")}</p>
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        <ErrorMessage error={create.error} />
        <SelectField label={t("messaging.groupKind")} value={groupKind} onChange={(e) => setGroupKind(e.target.value as GroupKind)}>
          {groupKinds.map((k) => (
            <option key={k} value={k}>
              {t(`messaging.group_${k}`)}
            </option>
          ))}
        </SelectField>
        <TextField label={t("messaging.groupTitle")} required value={title} onChange={(e) => setTitle(e.target.value)} error={titleError} maxLength={200} />
        <fieldset className="fieldset">
          <legend>{t("messaging.members")}</legend>
          <PeopleChooser people={people} chosen={memberIds} onChange={setMemberIds} />
        </fieldset>
        <div className="form__actions">
          <button type="submit" className="button">
            {t("messaging.createGroup")}
          </button>
        </div>
      </form>
    </section>
  );
}
