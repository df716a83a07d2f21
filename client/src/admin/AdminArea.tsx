import { NavLink, Outlet } from "react-router";
import { isAdmin, type Actor } from "../auth/session.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import { ForbiddenPage } from "../shell/pages.tsx";

/** /admin/*: admins only (the server enforces it too), with its own small sub-menu. */
export function AdminArea({ actor }: { actor: Actor }) {
  const t = useT();
  if (!isAdmin(actor)) return <ForbiddenPage />;
  return (
    <>
      <nav aria-label={t("admin.subnav")} className="sub-nav">
        <ul>
          <li>
            <NavLink to="/admin/enheter">{t("admin.units")}</NavLink>
          </li>
          <li>
            <NavLink to="/admin/brukere">{t("admin.users")}</NavLink>
          </li>
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
