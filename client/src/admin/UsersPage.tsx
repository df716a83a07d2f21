import type { Role } from "@laget/domain";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import type { Actor } from "../auth/session.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import { apiErrorOf, trpc } from "../trpc.ts";
import { FormActions } from "../ui/FormActions.tsx";
import { SelectField, TextField } from "../ui/FormField.tsx";
import { ErrorMessage, StatusMessage } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import { QueryList } from "../ui/QueryList.tsx";
import { focusFirstInvalid, isEmail } from "../ui/validation.ts";
import { OneTimePasswordPanel, type OneTimePassword } from "./OneTimePasswordPanel.tsx";
import { RoleOptions, UnitOptions } from "./options.tsx";
import { refreshOrganisation, type Unit } from "./queries.ts";
import { UserCard } from "./UserCard.tsx";

const NAME_MAX = 200;

export function UsersPage({ actor }: { actor: Actor }) {
  const t = useT();
  const users = useQuery(trpc.users.list.queryOptions());
  const units = useQuery(trpc.units.list.queryOptions());
  const activeUnits = (units.data ?? []).filter((u) => u.active);
  const [status, setStatus] = useState<string | null>(null);
  const [otp, setOtp] = useState<OneTimePassword | null>(null);
  const listHeadingId = useId();

  const showOtp = (value: OneTimePassword) => {
    setStatus(null);
    setOtp(value);
  };
  const closeOtp = () => {
    setOtp(null);
    document.querySelector<HTMLElement>("main h1")?.focus();
  };

  return (
    <>
      <PageHeading>{t("users.title")}</PageHeading>
      <p>{t("users.intro")}</p>
      {otp && <OneTimePasswordPanel value={otp} onClose={closeOtp} />}
      <StatusMessage>{status}</StatusMessage>
      <CreateUserForm units={activeUnits} onCreated={showOtp} />
      <section>
        <h2 id={listHeadingId}>{t("users.listHeading")}</h2>
        <QueryList query={users} empty={t("users.empty")}>
          {(list) =>
            list.map((user) => (
              <UserCard
                key={user.id}
                user={user}
                units={activeUnits}
                isSelf={user.id === actor.id}
                onStatus={(s) => {
                  setOtp(null);
                  setStatus(s);
                }}
                onOneTimePassword={showOtp}
              />
            ))
          }
        </QueryList>
      </section>
    </>
  );
}

type CreateErrors = { email?: string; name?: string; unit?: string; role?: string };

function CreateUserForm({ units, onCreated }: { units: Unit[]; onCreated: (otp: OneTimePassword) => void }) {
  const t = useT();
  const headingId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [unitId, setUnitId] = useState("");
  const [role, setRole] = useState<Role | "">("");
  const [errors, setErrors] = useState<CreateErrors>({});

  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: async (result, input) => {
        onCreated({ kind: "created", name: input.displayName, email: input.email, password: result.oneTimePassword });
        setEmail("");
        setName("");
        setUnitId("");
        setRole("");
        await refreshOrganisation();
      },
    }),
  );
  const server = apiErrorOf(create.error).fieldErrors;
  const serverError = (key: string) => (server?.[key] ? t("errors.fieldInvalid") : undefined);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (create.isPending) return;
    const found: CreateErrors = {};
    if (!email.trim()) found.email = t("users.emailRequired");
    else if (!isEmail(email)) found.email = t("users.emailInvalid");
    if (!name.trim()) found.name = t("users.nameRequired");
    else if (name.trim().length > NAME_MAX) found.name = t("users.nameTooLong");
    if (!unitId) found.unit = t("users.unitRequired");
    if (!role) found.role = t("users.roleRequired");
    setErrors(found);
    if (Object.keys(found).length || !role) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    create.mutate({ email: email.trim(), displayName: name.trim(), memberships: [{ unitId, role }] });
  };

  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>{t("users.createHeading")}</h2>
      <p className="muted">{t("users.createHint")}</p>
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        <ErrorMessage error={create.error} />
        <TextField
          label={t("users.email")}
          type="email"
          inputMode="email"
          autoComplete="off"
          spellCheck={false}
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.email ?? serverError("email")}
        />
        <TextField
          label={t("users.name")}
          autoComplete="off"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name ?? serverError("displayName")}
        />
        <SelectField
          label={t("users.unit")}
          required
          value={unitId}
          onChange={(e) => setUnitId(e.target.value)}
          error={errors.unit ?? serverError("memberships.0.unitId")}
        >
          <option value="">{t("users.chooseUnit")}</option>
          <UnitOptions units={units} />
        </SelectField>
        <SelectField
          label={t("users.role")}
          required
          value={role}
          onChange={(e) => setRole(e.target.value as Role | "")}
          error={errors.role ?? serverError("memberships.0.role")}
        >
          <option value="">{t("users.chooseRole")}</option>
          <RoleOptions />
        </SelectField>
        <FormActions submit={t("users.create")} />
      </form>
    </section>
  );
}

