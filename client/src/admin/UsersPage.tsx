import { roles, type Role } from "@laget/domain";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import type { Actor } from "../auth/session.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import { apiErrorOf, trpc } from "../trpc.ts";
import { SelectField, TextField } from "../ui/FormField.tsx";
import { ErrorMessage, LoadFailed, Loading, StatusMessage } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import { focusFirstInvalid, isEmail } from "../ui/validation.ts";
import { OneTimePasswordPanel, type OneTimePassword } from "./OneTimePasswordPanel.tsx";
import { refreshOrganisation, type Unit, type User } from "./queries.ts";

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
        {users.isPending ? (
          <Loading />
        ) : users.isError ? (
          <LoadFailed error={users.error} onRetry={() => void users.refetch()} />
        ) : users.data.length === 0 ? (
          <p>{t("users.empty")}</p>
        ) : (
          <ul className="card-list">
            {users.data.map((user) => (
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
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function UnitOptions({ units }: { units: Unit[] }) {
  return units.map((u) => (
    <option key={u.id} value={u.id}>
      {u.name}
    </option>
  ));
}

function RoleOptions() {
  const t = useT();
  return roles.map((r) => (
    <option key={r} value={r}>
      {t(`role.${r}`)}
    </option>
  ));
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
        <div className="form__actions">
          <button type="submit" className="button">
            {t("users.create")}
          </button>
        </div>
      </form>
    </section>
  );
}

function UserCard({
  user,
  units,
  isSelf,
  onStatus,
  onOneTimePassword,
}: {
  user: User;
  units: Unit[];
  isSelf: boolean;
  onStatus: (s: string) => void;
  onOneTimePassword: (otp: OneTimePassword) => void;
}) {
  const t = useT();
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const addButtonRef = useRef<HTMLButtonElement>(null);
  const name = user.displayName;

  // Every action on this user reports its failure here, next to the user.
  const handlers = { onMutate: () => setError(null), onError: (e: unknown) => setError(e) };
  const remove = useMutation(trpc.users.removeMembership.mutationOptions(handlers));
  const reset = useMutation(trpc.users.resetPassword.mutationOptions(handlers));
  const deactivate = useMutation(trpc.users.deactivate.mutationOptions(handlers));
  const reactivate = useMutation(trpc.users.reactivate.mutationOptions(handlers));

  const closeAdd = () => {
    setAdding(false);
    requestAnimationFrame(() => addButtonRef.current?.focus());
  };

  return (
    <li className={user.active ? "card" : "card is-inactive"}>
      <h3 className="card__title">
        {name} {isSelf && <span className="muted">{t("users.you")}</span>}
      </h3>
      <dl className="facts">
        <div>
          <dt>{t("users.emailLabel")}</dt>
          <dd>{user.email}</dd>
        </div>
        <div>
          <dt>{t("users.statusLabel")}</dt>
          <dd className="badges">
            <span className={user.active ? "badge badge--ok" : "badge badge--off"}>
              {user.active ? t("users.active") : t("users.inactive")}
            </span>
            {user.mustChangePassword && <span className="badge badge--warn">{t("users.mustChange")}</span>}
          </dd>
        </div>
        <div>
          <dt>{t("users.membershipsLabel")}</dt>
          <dd>
            {user.memberships.length === 0 ? (
              t("users.noMemberships")
            ) : (
              <ul className="memberships">
                {user.memberships.map((m) => {
                  const role = t(`role.${m.role}`);
                  return (
                    <li key={m.id}>
                      <span>
                        {t("users.membership", { unit: m.unitName, role })}
                        {!m.unitActive && <span className="muted"> {t("users.unitInactive")}</span>}
                      </span>
                      <button
                        type="button"
                        className="button button--secondary button--small"
                        aria-label={t("users.removeMembershipFor", { role, unit: m.unitName, name })}
                        onClick={() =>
                          remove.mutate(
                            { membershipId: m.id },
                            {
                              onSuccess: async () => {
                                onStatus(t("users.membershipRemoved", { role, unit: m.unitName, name }));
                                await refreshOrganisation();
                              },
                            },
                          )
                        }
                      >
                        {t("users.removeMembership")}
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
          </dd>
        </div>
      </dl>
      <div className="row-actions">
        <button
          ref={addButtonRef}
          type="button"
          className="button button--secondary button--small"
          aria-label={t("users.addMembershipFor", { name })}
          aria-expanded={adding}
          onClick={() => setAdding((a) => !a)}
        >
          {t("users.addMembership")}
        </button>
        <button
          type="button"
          className="button button--secondary button--small"
          aria-label={t("users.resetPasswordFor", { name })}
          onClick={() =>
            reset.mutate(
              { userId: user.id },
              {
                onSuccess: async (result) => {
                  onOneTimePassword({ kind: "reset", name, email: user.email, password: result.oneTimePassword });
                  await refreshOrganisation();
                },
              },
            )
          }
        >
          {t("users.resetPassword")}
        </button>
        {user.active && !isSelf && (
          <button
            type="button"
            className="button button--secondary button--small"
            aria-label={t("users.deactivateFor", { name })}
            onClick={() =>
              deactivate.mutate(
                { userId: user.id },
                {
                  onSuccess: async () => {
                    onStatus(t("users.deactivated", { name }));
                    await refreshOrganisation();
                  },
                },
              )
            }
          >
            {t("users.deactivate")}
          </button>
        )}
        {!user.active && (
          <button
            type="button"
            className="button button--secondary button--small"
            aria-label={t("users.reactivateFor", { name })}
            onClick={() =>
              reactivate.mutate(
                { userId: user.id },
                {
                  onSuccess: async () => {
                    onStatus(t("users.reactivated", { name }));
                    await refreshOrganisation();
                  },
                },
              )
            }
          >
            {t("users.reactivate")}
          </button>
        )}
      </div>
      <ErrorMessage error={error} />
      {adding && (
        <AddMembershipForm
          user={user}
          units={units}
          onCancel={closeAdd}
          onDone={() => {
            onStatus(t("users.membershipAdded", { name }));
            closeAdd();
          }}
        />
      )}
    </li>
  );
}

function AddMembershipForm({ user, units, onDone, onCancel }: { user: User; units: Unit[]; onDone: () => void; onCancel: () => void }) {
  const t = useT();
  const formRef = useRef<HTMLFormElement>(null);
  const unitRef = useRef<HTMLSelectElement>(null);
  const [unitId, setUnitId] = useState("");
  const [role, setRole] = useState<Role | "">("");
  const [errors, setErrors] = useState<{ unit?: string; role?: string }>({});
  const add = useMutation(
    trpc.users.addMembership.mutationOptions({
      onSuccess: async () => {
        onDone();
        await refreshOrganisation();
      },
    }),
  );

  useEffect(() => unitRef.current?.focus(), []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (add.isPending) return;
    const found: { unit?: string; role?: string } = {};
    if (!unitId) found.unit = t("users.unitRequired");
    if (!role) found.role = t("users.roleRequired");
    setErrors(found);
    if (found.unit || found.role || !role) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    add.mutate({ userId: user.id, unitId, role });
  };

  return (
    <form ref={formRef} className="form form--inline" onSubmit={submit} noValidate>
      <ErrorMessage error={add.error} />
      <SelectField
        selectRef={unitRef}
        label={t("users.unitFor", { name: user.displayName })}
        required
        value={unitId}
        onChange={(e) => setUnitId(e.target.value)}
        error={errors.unit}
      >
        <option value="">{t("users.chooseUnit")}</option>
        <UnitOptions units={units} />
      </SelectField>
      <SelectField
        label={t("users.roleFor", { name: user.displayName })}
        required
        value={role}
        onChange={(e) => setRole(e.target.value as Role | "")}
        error={errors.role}
      >
        <option value="">{t("users.chooseRole")}</option>
        <RoleOptions />
      </SelectField>
      <div className="form__actions">
        <button type="submit" className="button button--small">
          {t("users.saveMembership")}
        </button>
        <button type="button" className="button button--secondary button--small" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}
