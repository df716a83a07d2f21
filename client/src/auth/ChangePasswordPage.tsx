import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@laget/domain";
import { useMutation } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { apiErrorOf, queryClient, trpc } from "../trpc.ts";
import { FormActions } from "../ui/FormActions.tsx";
import { ErrorMessage, StatusMessage } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import { focusFirstInvalid } from "../ui/validation.ts";
import { PasswordField } from "./PasswordField.tsx";

type Errors = { current?: string; new?: string; repeat?: string };

/**
 * Used twice: forced after a first login with a one-time password (the whole app waits
 * for it), and from the user menu at /passord.
 */
export function ChangePasswordPage({ forced, email }: { forced: boolean; email: string }) {
  const t = useT();
  const formRef = useRef<HTMLFormElement>(null);
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [changed, setChanged] = useState(false);

  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: async () => {
        setCurrent("");
        setNext("");
        setRepeat("");
        setChanged(true);
        // When forced, the fresh `auth.me` (mustChangePassword: false) lets the app continue.
        await queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
      },
    }),
  );

  // Server-side field errors, in the words of this form.
  const server = apiErrorOf(change.error).fieldErrors;
  const fieldError = (mine: string | undefined, serverKey: string) =>
    mine ?? (server?.[serverKey] ? t("errors.fieldInvalid") : undefined);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (change.isPending) return;
    const found: Errors = {};
    if (!current) found.current = t("password.currentRequired");
    if (next.length < PASSWORD_MIN_LENGTH) found.new = t("password.tooShort", { min: PASSWORD_MIN_LENGTH });
    else if (next.length > PASSWORD_MAX_LENGTH) found.new = t("password.tooLong", { max: PASSWORD_MAX_LENGTH });
    if (!repeat) found.repeat = t("password.repeatRequired");
    else if (repeat !== next) found.repeat = t("password.mismatch");
    setErrors(found);
    setChanged(false);
    if (found.current || found.new || found.repeat) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    change.mutate({ currentPassword: current, newPassword: next });
  };

  return (
    <>
      <PageHeading>{t("password.title")}</PageHeading>
      <StatusMessage>{changed && !forced && t("password.changed")}</StatusMessage>
      <p className={forced ? "lead" : undefined}>{forced ? t("password.forcedIntro") : t("password.intro")}</p>
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        <ErrorMessage error={change.error} />
        {/* Lets password managers file the new password under the right account. */}
        <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
        <PasswordField label={t("password.current")} autoComplete="current-password" value={current} onValue={setCurrent} error={fieldError(errors.current, "currentPassword")} />
        <PasswordField
          label={t("password.new")}
          hint={t("password.newHint", { min: PASSWORD_MIN_LENGTH })}
          autoComplete="new-password"
          value={next}
          onValue={setNext}
          error={fieldError(errors.new, "newPassword")}
        />
        <PasswordField label={t("password.repeat")} autoComplete="new-password" value={repeat} onValue={setRepeat} error={errors.repeat} />
        <FormActions submit={t("password.submit")} />
      </form>
    </>
  );
}
