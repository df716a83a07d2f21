import { useId } from "react";
import { Link } from "react-router";
import { useLogout, type Actor } from "../auth/session.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import { LanguageSwitcher } from "../i18n/LanguageSwitcher.tsx";
import { ErrorMessage } from "../ui/messages.tsx";
import { useDisclosure } from "./disclosure.ts";

/** The signed-in user's menu: a disclosure (disclosure.ts). */
export function UserMenu({ actor }: { actor: Actor }) {
  const t = useT();
  const { open, panelId, containerProps, buttonProps } = useDisclosure();
  const unitsId = useId();
  const { logout, logoutEverywhere, error } = useLogout();

  return (
    <div className="user-menu" {...containerProps}>
      <button {...buttonProps} className="user-menu__button">
        {actor.displayName}
        <span className="user-menu__chevron" aria-hidden="true" />
      </button>
      {/* tabIndex -1: a click on the panel's text keeps focus inside, so the menu stays open. */}
      <div id={panelId} className="user-menu__panel" hidden={!open} tabIndex={-1}>
        <p className="user-menu__email">{t("userMenu.signedInAs", { email: actor.email })}</p>
        <p id={unitsId} className="user-menu__label">
          {t("userMenu.unitsHeading")}
        </p>
        {actor.memberships.length ? (
          <ul className="user-menu__units" aria-labelledby={unitsId}>
            {actor.memberships.map((m) => (
              <li key={m.id}>{t("userMenu.membership", { unit: m.unitName, role: t(`role.${m.role}`) })}</li>
            ))}
          </ul>
        ) : (
          <p>{t("userMenu.noMemberships")}</p>
        )}
        <LanguageSwitcher />
        <ul className="user-menu__actions">
          <li>
            <Link to="/passord">{t("userMenu.changePassword")}</Link>
          </li>
          <li>
            <Link to="/kalender">{t("calendar.menuLink")}</Link>
          </li>
          <li>
            <button type="button" className="button button--secondary button--small" onClick={logout}>
              {t("userMenu.logout")}
            </button>
          </li>
          <li>
            <button type="button" className="button button--secondary button--small" onClick={logoutEverywhere}>
              {t("userMenu.logoutEverywhere")}
            </button>
          </li>
        </ul>
        <ErrorMessage error={error} />
      </div>
    </div>
  );
}
