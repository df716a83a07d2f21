import type { MouseEvent } from "react";
import { useT } from "../i18n/I18nProvider.tsx";

export function SkipLink() {
  const t = useT();
  // Focus <main> directly instead of changing the URL hash, which the router would see as navigation.
  const skip = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    document.getElementById("main")?.focus();
  };
  return (
    <a className="skip-link" href="#main" onClick={skip}>
      {t("app.skipToMain")}
    </a>
  );
}
