import { Link } from "react-router";
import { useT } from "../i18n/I18nProvider.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";

export function NotFoundPage() {
  const t = useT();
  return (
    <>
      <PageHeading>{t("notFound.title")}</PageHeading>
      <p>{t("notFound.body")}</p>
      <p>
        <Link to="/saker">{t("notFound.back")}</Link>
      </p>
    </>
  );
}

export function ForbiddenPage() {
  const t = useT();
  return (
    <>
      <PageHeading>{t("forbidden.title")}</PageHeading>
      <p>{t("forbidden.body")}</p>
    </>
  );
}
