import type { ReactNode } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { LanguageSwitcher } from "../i18n/LanguageSwitcher.tsx";
import { SkipLink } from "./SkipLink.tsx";

/** The frame for pages outside the app proper: login and the first-login password change. */
export function PublicLayout({ municipality, actions, children }: { municipality?: string; actions?: ReactNode; children: ReactNode }) {
  const t = useT();
  return (
    <>
      <SkipLink />
      <header className="site-header">
        <div className="site-header__bar container">
          <div className="brand">
            <span className="brand__name">{t("app.name")}</span>
            {municipality && <span className="brand__municipality">{municipality}</span>}
          </div>
          <div className="site-header__tools">
            <LanguageSwitcher />
            {actions}
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="container container--narrow">
        {children}
      </main>
    </>
  );
}
