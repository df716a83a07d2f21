import { useEffect, useId, useRef, useState, type FocusEvent, type KeyboardEvent } from "react";
import { Link, useLocation } from "react-router";
import { useLogout, type Actor } from "../auth/session.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import { LanguageSwitcher } from "../i18n/LanguageSwitcher.tsx";
import { ErrorMessage } from "../ui/messages.tsx";

/**
 * A disclosure (button + panel), not an ARIA menu: the panel mixes text, links and
 * buttons, and plain Tab navigation through it is what keyboard users expect.
 */
export function UserMenu({ actor }: { actor: Actor }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const unitsId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const { logout, logoutEverywhere, error } = useLogout();
  const location = useLocation();

  // Following a link in the panel closes it.
  useEffect(() => setOpen(false), [location.pathname]);

  const closeAndFocusButton = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (open && event.key === "Escape") {
      event.stopPropagation();
      closeAndFocusButton();
    }
  };
  // Closes when focus or a click leaves the menu (focusout covers both).
  const onBlur = (event: FocusEvent<HTMLDivElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOpen(false);
  };

  return (
    <div className="user-menu" onKeyDown={onKeyDown} onBlur={onBlur}>
      <button
        ref={buttonRef}
        type="button"
        className="user-menu__button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
      >
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
