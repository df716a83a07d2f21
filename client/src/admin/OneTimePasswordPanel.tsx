import { useT } from "../i18n/I18nProvider.tsx";
import { SecretPanel } from "../ui/SecretPanel.tsx";

export type OneTimePassword = { kind: "created" | "reset"; name: string; email: string; password: string };

/**
 * Shows a one-time password exactly once: it lives only in this page's state and is
 * gone when the panel is closed or the page is left.
 */
export function OneTimePasswordPanel({ value, onClose }: { value: OneTimePassword; onClose: () => void }) {
  const t = useT();
  const who = { name: value.name, email: value.email };
  return (
    <SecretPanel
      secret={value.password}
      testId="one-time-password"
      labels={{
        heading: t("oneTimePassword.heading"),
        intro: value.kind === "created" ? t("oneTimePassword.createdFor", who) : t("oneTimePassword.resetFor", who),
        copy: t("oneTimePassword.copy"),
        copied: t("oneTimePassword.copied"),
        copyFailed: t("oneTimePassword.copyFailed"),
        note: t("oneTimePassword.note"),
        close: t("oneTimePassword.close"),
      }}
      onClose={onClose}
    />
  );
}
