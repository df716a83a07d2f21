import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { PublicLayout } from "../shell/PublicLayout.tsx";
import { queryClient, trpc } from "../trpc.ts";
import { FormActions } from "../ui/FormActions.tsx";
import { TextField } from "../ui/FormField.tsx";
import { ErrorMessage, StatusMessage } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import { focusFirstInvalid, isEmail } from "../ui/validation.ts";
import { takeLoginNotice, type LoginNotice } from "./notice.ts";
import { PasswordField } from "./PasswordField.tsx";

type Errors = { email?: string; password?: string };

export function LoginPage() {
  const t = useT();
  const formRef = useRef<HTMLFormElement>(null);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [notice, setNotice] = useState<LoginNotice | null>(null);

  useEffect(() => setNotice(takeLoginNotice()), []);

  const login = useMutation(
    trpc.auth.login.mutationOptions({
      // The session cookie is set; `auth.me` now answers with the user and the app takes over.
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() }),
      onError: () => setPassword(""),
    }),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (login.isPending) return;
    const next: Errors = {};
    if (!email.trim()) next.email = t("login.emailRequired");
    else if (!isEmail(email)) next.email = t("login.emailInvalid");
    if (!password) next.password = t("login.passwordRequired");
    setErrors(next);
    if (next.email || next.password) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    setNotice(null);
    login.mutate({ email: email.trim(), password });
  };

  return (
    <PublicLayout>
      <PageHeading>{t("login.title")}</PageHeading>
      <StatusMessage>{notice && t(`login.${notice}`)}</StatusMessage>
      <p>{t("login.intro")}</p>
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        <ErrorMessage error={login.error} />
        <TextField
          label={t("login.email")}
          type="email"
          name="email"
          autoComplete="username"
          inputMode="email"
          spellCheck={false}
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.email}
        />
        <PasswordField label={t("login.password")} name="password" autoComplete="current-password" value={password} onValue={setPassword} error={errors.password} />
        <FormActions submit={t("login.submit")} />
      </form>
    </PublicLayout>
  );
}
