import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import { useFormat, useT } from "../i18n/I18nProvider.tsx";
import { apiErrorOf, trpc } from "../trpc.ts";
import { ConfirmButton } from "../ui/ConfirmButton.tsx";
import { FormActions } from "../ui/FormActions.tsx";
import { TextField } from "../ui/FormField.tsx";
import { ErrorMessage, LoadFailed, Loading, StatusMessage } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import { SecretPanel } from "../ui/SecretPanel.tsx";
import { StackTable } from "../ui/StackTable.tsx";
import { focusFirstInvalid } from "../ui/validation.ts";

const NAME_MAX = 100;

type Created = { name: string; url: string };

/**
 * "Kalender-abonnement": the user's secret feed addresses for Outlook and Google. A new
 * address is shown once (it lives only in this page's state), then only its name, when it
 * was made and last used, and a way to revoke it.
 */
export function CalendarPage() {
  const t = useT();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.calendar.tokens.queryOptions());
  const [created, setCreated] = useState<Created | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const listHeadingId = useId();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.calendar.tokens.queryKey() });

  return (
    <>
      <PageHeading>{t("calendar.title")}</PageHeading>
      <p>{t("calendar.intro")}</p>
      <StatusMessage>{status}</StatusMessage>
      {created ? (
        <CreatedPanel created={created} onClose={() => setCreated(null)} />
      ) : (
        <CreateTokenForm
          onCreated={(value) => {
            setStatus(null);
            setCreated(value);
            void refresh();
          }}
        />
      )}
      <section>
        <h2 id={listHeadingId}>{t("calendar.listHeading")}</h2>
        {tokens.isPending ? (
          <Loading />
        ) : tokens.isError ? (
          <LoadFailed error={tokens.error} onRetry={() => void tokens.refetch()} />
        ) : tokens.data.tokens.length === 0 ? (
          <p>{t("calendar.empty")}</p>
        ) : (
          <TokensTable tokens={tokens.data.tokens} labelledBy={listHeadingId} onRevoked={(name) => { setStatus(t("calendar.revokedStatus", { name })); void refresh(); }} />
        )}
      </section>
    </>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (created: Created) => void }) {
  const t = useT();
  const headingId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const create = useMutation(
    trpc.calendar.createToken.mutationOptions({
      onSuccess: (result, input) => {
        setName("");
        // The server gives the path; the address a calendar needs is absolute, on this origin.
        onCreated({ name: input.name, url: new URL(result.url, window.location.origin).toString() });
      },
    }),
  );
  const { fieldErrors } = apiErrorOf(create.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (create.isPending) return;
    const trimmed = name.trim();
    const found = !trimmed ? t("calendar.nameRequired") : trimmed.length > NAME_MAX ? t("calendar.nameTooLong") : null;
    setError(found);
    if (found) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    create.mutate({ name: trimmed });
  };

  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>{t("calendar.createHeading")}</h2>
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        <ErrorMessage error={fieldErrors ? null : create.error} />
        <TextField
          label={t("calendar.name")}
          hint={t("calendar.nameHint")}
          required
          autoComplete="off"
          maxLength={NAME_MAX + 20}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={error ?? (fieldErrors?.name ? t("errors.fieldInvalid") : undefined)}
        />
        <FormActions submit={t("calendar.create")} />
      </form>
    </section>
  );
}

/** The new address, once: copy it, and how to add it in Outlook and Google. */
function CreatedPanel({ created, onClose }: { created: Created; onClose: () => void }) {
  const t = useT();
  return (
    <SecretPanel
      secret={created.url}
      testId="calendar-url"
      labels={{
        heading: t("calendar.createdHeading"),
        intro: t("calendar.urlLabel", { name: created.name }),
        copy: t("calendar.copy"),
        copied: t("calendar.copied"),
        copyFailed: t("calendar.copyFailed"),
        note: t("calendar.createdNote"),
        close: t("calendar.close"),
      }}
      onClose={onClose}
    >
      <h3>{t("calendar.howToHeading")}</h3>
      <ul>
        <li>{t("calendar.howToOutlook")}</li>
        <li>{t("calendar.howToGoogle")}</li>
      </ul>
    </SecretPanel>
  );
}

type Token = { id: string; name: string; createdAt: Date; lastUsedAt: Date | null; revoked: boolean };

function TokensTable({ tokens, labelledBy, onRevoked }: { tokens: Token[]; labelledBy: string; onRevoked: (name: string) => void }) {
  const t = useT();
  const format = useFormat();
  const revoke = useMutation(trpc.calendar.revokeToken.mutationOptions());

  return (
    <>
      <ErrorMessage error={revoke.error} />
      <StackTable columns={[t("calendar.colName"), t("calendar.colCreated"), t("calendar.colLastUsed"), t("calendar.colStatus"), t("calendar.colActions")]} labelledBy={labelledBy}>
        {tokens.map((token) => (
          <tr key={token.id} className={token.revoked ? "is-inactive" : undefined}>
            <th scope="row">{token.name}</th>
            <td data-label={t("calendar.colCreated")}>{format.dateTime(token.createdAt)}</td>
            <td data-label={t("calendar.colLastUsed")}>{token.lastUsedAt ? format.dateTime(token.lastUsedAt) : t("calendar.neverUsed")}</td>
            <td data-label={t("calendar.colStatus")}>
              <span className={token.revoked ? "badge badge--off" : "badge badge--ok"}>{token.revoked ? t("calendar.revoked") : t("calendar.active")}</span>
            </td>
            <td className="table__actions">
              {!token.revoked && (
                <ConfirmButton
                  label={t("calendar.revoke")}
                  accessibleLabel={t("calendar.revokeFor", { name: token.name })}
                  question={t("calendar.revokeQuestion", { name: token.name })}
                  confirmLabel={t("calendar.revokeConfirm")}
                  disabled={revoke.isPending}
                  onConfirm={() => revoke.mutate({ tokenId: token.id }, { onSuccess: () => onRevoked(token.name) })}
                />
              )}
            </td>
          </tr>
        ))}
      </StackTable>
    </>
  );
}
