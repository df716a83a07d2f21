import type { Role } from "@laget/domain";
import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState, type ComponentProps, type FormEvent } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { trpc } from "../trpc.ts";
import { FormActions } from "../ui/FormActions.tsx";
import { SelectField } from "../ui/FormField.tsx";
import { ErrorMessage } from "../ui/messages.tsx";
import { focusFirstInvalid } from "../ui/validation.ts";
import type { OneTimePassword } from "./OneTimePasswordPanel.tsx";
import { RoleOptions, UnitOptions } from "./options.tsx";
import { refreshOrganisation, type Unit, type User } from "./queries.ts";

/** The small secondary button of a user's row of actions. */
function SmallButton(props: ComponentProps<"button">) {
  return <button type="button" className="button button--secondary button--small" {...props} />;
}

export function UserCard({
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
  // What a successful action says in the page's status line, once the lists are fresh.
  const thenStatus = (message: string) => ({
    onSuccess: async () => {
      onStatus(message);
      await refreshOrganisation();
    },
  });

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
                      <SmallButton
                        aria-label={t("users.removeMembershipFor", { role, unit: m.unitName, name })}
                        onClick={() => remove.mutate({ membershipId: m.id }, thenStatus(t("users.membershipRemoved", { role, unit: m.unitName, name })))}
                      >
                        {t("users.removeMembership")}
                      </SmallButton>
                    </li>
                  );
                })}
              </ul>
            )}
          </dd>
        </div>
      </dl>
      <div className="row-actions">
        <SmallButton ref={addButtonRef} aria-label={t("users.addMembershipFor", { name })} aria-expanded={adding} onClick={() => setAdding((a) => !a)}>
          {t("users.addMembership")}
        </SmallButton>
        <SmallButton
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
        </SmallButton>
        {user.active && !isSelf && (
          <SmallButton aria-label={t("users.deactivateFor", { name })} onClick={() => deactivate.mutate({ userId: user.id }, thenStatus(t("users.deactivated", { name })))}>
            {t("users.deactivate")}
          </SmallButton>
        )}
        {!user.active && (
          <SmallButton aria-label={t("users.reactivateFor", { name })} onClick={() => reactivate.mutate({ userId: user.id }, thenStatus(t("users.reactivated", { name })))}>
            {t("users.reactivate")}
          </SmallButton>
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
      <FormActions submit={t("users.saveMembership")} small>
        <SmallButton onClick={onCancel}>{t("common.cancel")}</SmallButton>
      </FormActions>
    </form>
  );
}
