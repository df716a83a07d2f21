import { useMutation, useQuery } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "react-router";
import { useFormat, useI18n } from "../i18n/I18nProvider.tsx";
import { queryClient, trpc } from "../trpc.ts";
import { ConfirmButton } from "../ui/ConfirmButton.tsx";
import { ErrorMessage, Loading, LoadFailed } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import { breakdownText, OfferFacts } from "./shared.tsx";
import "./offers.css";

/** /tilbud/:offerId: one offer; its own unit's members change or archive it (abilities.edit from the server). */
export function OfferPage() {
  const { t, language } = useI18n();
  const format = useFormat();
  const navigate = useNavigate();
  const { offerId = "" } = useParams();
  const offer = useQuery(trpc.offers.get.queryOptions({ offerId }));
  const archive = useMutation(
    trpc.offers.archive.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.offers.pathKey() });
        void navigate("/tilbud");
      },
    }),
  );

  if (offer.isPending) return <Loading />;
  if (offer.isError) return <LoadFailed error={offer.error} onRetry={() => void offer.refetch()} />;
  const o = offer.data;
  return (
    <article className="offer-page">
      <p className="breadcrumb">
        <Link to="/tilbud">{t("offers.page.back")}</Link>
      </p>
      <PageHeading>{o.title}</PageHeading>
      <p className="offer-card__meta">
        {t(`offers.category.${o.category}`)} · {t("offers.by", { organisation: o.ownerUnit.name })}
        {!o.published && <span className="badge"> {t("offers.draft")}</span>}
      </p>
      {o.abilities.edit && (
        <div className="offers__actions">
          <Link className="button button--secondary" to={`/tilbud/${o.id}/endre`}>
            {t("offers.page.edit")}
          </Link>
          <ConfirmButton
            label={t("offers.page.archive")}
            question={t("offers.page.archiveQuestion", { title: o.title })}
            confirmLabel={t("offers.page.archiveConfirm")}
            onConfirm={() => archive.mutate({ offerId: o.id })}
          />
        </div>
      )}
      <ErrorMessage error={archive.error} />
      {o.description && (
        <section>
          <h2>{t("offers.description")}</h2>
          <p className="offer-page__text">{o.description}</p>
        </section>
      )}
      <OfferFacts offer={o} tr={t} language={language} />
      <section>
        <h2>{t("offers.costNote")}</h2>
        <p>{breakdownText(t, language, o.cost)}</p>
        {o.cost.note && <p>{o.cost.note}</p>}
      </section>
      {(o.address || o.accessibility) && (
        <section>
          <h2>{t("offers.where")}</h2>
          {o.address && <p>{[o.locationName, o.address, [o.postalCode, o.city].filter(Boolean).join(" ")].filter(Boolean).join(", ")}</p>}
          {o.accessibility && (
            <p>
              {t("offers.accessibility")}: {o.accessibility}
            </p>
          )}
        </section>
      )}
      {(o.contact.email || o.contact.phone || o.contact.url) && (
        <section>
          <h2>{t("offers.contact")}</h2>
          <ul className="offer-page__contact">
            {o.contact.email && (
              <li>
                <a href={`mailto:${o.contact.email}`}>{o.contact.email}</a>
              </li>
            )}
            {o.contact.phone && (
              <li>
                <a href={`tel:${o.contact.phone.replace(/\s/g, "")}`}>{o.contact.phone}</a>
              </li>
            )}
            {o.contact.url && (
              <li>
                <a href={o.contact.url}>{o.contact.url}</a>
              </li>
            )}
          </ul>
        </section>
      )}
      <p className="muted">{t("offers.updated", { date: format.date(o.updatedAt) })}</p>
    </article>
  );
}
