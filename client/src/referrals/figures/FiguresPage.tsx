import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useFormat, useT } from "../../i18n/I18nProvider.tsx";
import { apiErrorOf, trpc } from "../../trpc.ts";
import { FormActions } from "../../ui/FormActions.tsx";
import { TextField } from "../../ui/FormField.tsx";
import { ErrorMessage, LoadFailed, Loading, StatusMessage } from "../../ui/messages.tsx";
import { PageHeading } from "../../ui/PageHeading.tsx";
import { focusFirstInvalid } from "../../ui/validation.ts";

type SmallCount = number | "<5";
type FigureRow = {
  id: string;
  name: string;
  sent: SmallCount;
  medianFirstResponseHours: number | null;
  acceptedShare: number | null;
  completedShare: number | null;
  waitingList: SmallCount;
};

/**
 * "Tall for henvisninger" (/henvisninger/tall): per offer and per receiving organisation,
 * what the server computed and was allowed to show (its own rows for an organisation, all
 * for leaders and admins). Small counts come as "<5" and are shown in words beside it;
 * shares the server held back are "not shown". An offer's feedback opens below its table.
 * The response deadline is stated for everyone and set here by an admin (the server says who).
 */
export function FiguresPage() {
  const t = useT();
  const figures = useQuery(trpc.referralInsights.figures.queryOptions());
  const [feedbackFor, setFeedbackFor] = useState<{ id: string; title: string } | null>(null);
  const offersId = useId();
  const unitsId = useId();

  return (
    <>
      <PageHeading>{t("referralInsights.title")}</PageHeading>
      <p>{t("referralInsights.intro")}</p>
      {figures.isPending ? (
        <Loading />
      ) : figures.isError ? (
        <LoadFailed error={figures.error} onRetry={() => void figures.refetch()} />
      ) : (
        <>
          <section aria-labelledby={offersId}>
            <h2 id={offersId}>{t("referralInsights.offersHeading")}</h2>
            {figures.data.offers.length === 0 ? (
              <p>{t("referralInsights.emptyOffers")}</p>
            ) : (
              <FiguresTable rows={figures.data.offers} labelledBy={offersId} nameColumn={t("referralInsights.colOffer")} onFeedback={(row) => setFeedbackFor({ id: row.id, title: row.name })} />
            )}
            {feedbackFor && <FeedbackList offer={feedbackFor} onClose={() => setFeedbackFor(null)} />}
          </section>
          <section aria-labelledby={unitsId}>
            <h2 id={unitsId}>{t("referralInsights.unitsHeading")}</h2>
            {figures.data.units.length === 0 ? (
              <p>{t("referralInsights.emptyUnits")}</p>
            ) : (
              <FiguresTable rows={figures.data.units} labelledBy={unitsId} nameColumn={t("referralInsights.colUnit")} />
            )}
          </section>
        </>
      )}
      <DeadlineSection />
    </>
  );
}

/** "færre enn 5 (<5)": the words, and the server's own "<5" beside them. */
function Count({ value }: { value: SmallCount }) {
  const t = useT();
  const format = useFormat();
  if (value !== "<5") return <>{format.number(value)}</>;
  return (
    <span className="figure-small">
      {t("referralInsights.fewerThanFive")} <span aria-hidden="true">({value})</span>
    </span>
  );
}

function Share({ value }: { value: number | null }) {
  const t = useT();
  if (value === null) return <span title={t("referralInsights.notShownHint")}>{t("referralInsights.notShown")}</span>;
  return <>{t("referralInsights.percent", { percent: Math.round(value * 100) })}</>;
}

function Median({ row }: { row: FigureRow }) {
  const t = useT();
  const format = useFormat();
  if (row.medianFirstResponseHours !== null) return <>{t("referralInsights.hours", { hours: format.number(row.medianFirstResponseHours) })}</>;
  // Held back while fewer than 5 were sent; otherwise nobody has answered yet.
  if (row.sent === "<5") return <span title={t("referralInsights.notShownHint")}>{t("referralInsights.notShown")}</span>;
  return <>{t("referralInsights.noAnswers")}</>;
}

function FiguresTable({ rows, labelledBy, nameColumn, onFeedback }: { rows: FigureRow[]; labelledBy: string; nameColumn: string; onFeedback?: (row: FigureRow) => void }) {
  const t = useT();
  const columns = [
    t("referralInsights.colSent"),
    t("referralInsights.colMedian"),
    t("referralInsights.colAccepted"),
    t("referralInsights.colCompleted"),
    t("referralInsights.colWaiting"),
  ];
  return (
    <div className="table-scroll" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      <table className="table table--stack">
        <thead>
          <tr>
            <th scope="col">{nameColumn}</th>
            {columns.map((c) => (
              <th scope="col" key={c}>
                {c}
              </th>
            ))}
            {onFeedback && <th scope="col">{t("referralInsights.colFeedback")}</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <th scope="row">{row.name}</th>
              <td data-label={columns[0]}>
                <Count value={row.sent} />
              </td>
              <td data-label={columns[1]}>
                <Median row={row} />
              </td>
              <td data-label={columns[2]}>
                <Share value={row.acceptedShare} />
              </td>
              <td data-label={columns[3]}>
                <Share value={row.completedShare} />
              </td>
              <td data-label={columns[4]}>
                <Count value={row.waitingList} />
              </td>
              {onFeedback && (
                <td className="table__actions">
                  <button type="button" className="button button--secondary button--small" aria-label={t("referralInsights.showFeedbackFor", { title: row.name })} onClick={() => onFeedback(row)}>
                    {t("referralInsights.showFeedback")}
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function FeedbackList({ offer, onClose }: { offer: { id: string; title: string }; onClose: () => void }) {
  const t = useT();
  const format = useFormat();
  const feedback = useQuery(trpc.referralInsights.feedback.queryOptions({ offerId: offer.id }));
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), [offer.id]);

  return (
    <div className="panel">
      <h3 ref={headingRef} tabIndex={-1}>
        {t("referralInsights.feedbackHeading", { title: offer.title })}
      </h3>
      <p>{t("referralInsights.feedbackIntro")}</p>
      {feedback.isPending ? (
        <Loading />
      ) : feedback.isError ? (
        <LoadFailed error={feedback.error} onRetry={() => void feedback.refetch()} />
      ) : feedback.data.length === 0 ? (
        <p>{t("referralInsights.feedbackEmpty")}</p>
      ) : (
        <ul className="card-list">
          {feedback.data.map((f, i) => (
            <li key={`${f.recordedAt.toString()}-${i}`} className="card">
              <p>
                <strong>{t(`referralInsights.rating_${f.rating}`)}</strong>
              </p>
              <p>{f.words || t("referralInsights.noWords")}</p>
              <p className="muted">{t("referralInsights.recordedAt", { date: format.date(f.recordedAt) })}</p>
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="button button--secondary button--small" onClick={onClose}>
        {t("referralInsights.closeFeedback")}
      </button>
    </div>
  );
}

/** The response deadline in words for everyone, and the form to change it when the server says the caller may. */
function DeadlineSection() {
  const t = useT();
  const headingId = useId();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.referralInsights.settings.queryOptions());
  const formRef = useRef<HTMLFormElement>(null);
  const [days, setDays] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const update = useMutation(
    trpc.referralInsights.updateSettings.mutationOptions({
      onSuccess: (result) => {
        setSaved(result.responseDays);
        setDays(null);
        queryClient.setQueryData(trpc.referralInsights.settings.queryKey(), result);
      },
    }),
  );
  const { fieldErrors } = apiErrorOf(update.error);

  if (settings.isPending) return <Loading />;
  if (settings.isError) return <LoadFailed error={settings.error} onRetry={() => void settings.refetch()} />;
  const value = days ?? String(settings.data.responseDays);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (update.isPending) return;
    const n = Number(value.trim());
    const invalid = !/^\d+$/.test(value.trim()) || n < 1 || n > 30;
    setError(invalid ? t("referralInsights.deadlineInvalid") : null);
    setSaved(null);
    if (invalid) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    update.mutate({ responseDays: n });
  };

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{t("referralInsights.deadlineHeading")}</h2>
      <p>{t("referralInsights.deadlineText", { days: settings.data.responseDays })}</p>
      {settings.data.abilities.update && (
        <form ref={formRef} className="form panel" onSubmit={submit} noValidate>
          <StatusMessage>{saved !== null ? t("referralInsights.deadlineSaved", { days: saved }) : null}</StatusMessage>
          <ErrorMessage error={fieldErrors ? null : update.error} />
          <TextField
            label={t("referralInsights.deadlineField")}
            hint={t("referralInsights.deadlineHint")}
            inputMode="numeric"
            required
            value={value}
            onChange={(e) => setDays(e.target.value)}
            error={error ?? (fieldErrors?.responseDays ? t("referralInsights.deadlineInvalid") : undefined)}
          />
          <FormActions submit={t("referralInsights.deadlineSave")} />
        </form>
      )}
    </section>
  );
}
