import { categories, type Category } from "@laget/policy";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { statuteLabel } from "../i18n/labels.ts";
import { trpc } from "../trpc.ts";
import { CheckboxField, SelectField, TextAreaField, TextField } from "../ui/FormField.tsx";
import { ErrorMessage, LoadFailed, Loading, StatusMessage } from "../ui/messages.tsx";
import { focusFirstInvalid } from "../ui/validation.ts";
import { useCase } from "./CasePage.tsx";
import { categoryList, dayToDate, isoDay, refreshCase, useFormat, type Disclosure } from "./shared.ts";

export function DisclosureTab() {
  const t = useT();
  const { kase } = useCase();
  const [status, setStatus] = useState<string | null>(null);
  const list = useQuery(trpc.disclosures.forCase.queryOptions({ caseId: kase.id }));
  const listId = useId();
  // Only the unit that owns the case data may disclose it (the server decides; this only spares a refused try).
  const isOwner = kase.basis.kind === "own_unit";

  return (
    <>
      <h2>{t("disclosure.heading")}</h2>
      <p>{t("disclosure.intro")}</p>
      <StatusMessage>{status}</StatusMessage>
      {kase.abilities.disclose ? (
        <DisclosureForm onStatus={setStatus} />
      ) : (
        <p className="muted">{t("disclosure.notOwner", { owner: kase.owningUnitName })}</p>
      )}
      <section aria-labelledby={listId}>
        <h3 id={listId}>{t("disclosure.listHeading")}</h3>
        {/* Others see only what their unit gave or got (the server decides); saying so always reveals nothing. */}
        {!isOwner && <p className="muted">{t("disclosure.onlyYours")}</p>}
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <LoadFailed error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.length === 0 ? (
          <p>{isOwner ? t("disclosure.none") : t("disclosure.noneForYou")}</p>
        ) : (
          <ul className="card-list">
            {list.data.map((d) => (
              <DisclosureCard key={d.id} disclosure={d} canRevoke={d.mayRevoke} onStatus={setStatus} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

export function DisclosureFacts({ disclosure: d }: { disclosure: Omit<Disclosure, "mayRevoke"> }) {
  const t = useT();
  const format = useFormat();
  return (
    <dl className="facts">
      <div>
        <dt>{t("disclosure.statuteLabel")}</dt>
        <dd>
          {statuteLabel(t, { key: d.statuteKey, title: d.statuteTitle, reference: d.statuteReference })}
        </dd>
      </div>
      <div>
        <dt>{t("disclosure.categoriesLabel")}</dt>
        <dd>{categoryList(t, d.categories)}</dd>
      </div>
      <div>
        <dt>{t("disclosure.justification")}</dt>
        <dd>{d.justification}</dd>
      </div>
      <div>
        <dt>{t("disclosure.byLabel")}</dt>
        <dd>{d.discloserName}</dd>
      </div>
      <div>
        <dt>{t("disclosure.until")}</dt>
        <dd>{d.revoked ? t("disclosure.revoked") : d.validUntil ? format.date(d.validUntil) : t("disclosure.untilRevoked")}</dd>
      </div>
      <div>
        <dt>{t("disclosure.review")}</dt>
        <dd>
          {d.review
            ? t("disclosure.reviewValue", { outcome: t(`review.outcome_${d.review.outcome}`), by: d.review.by ?? "", date: format.date(d.review.at) })
            : t("disclosure.notReviewed")}
          {d.review?.note && `: ${d.review.note}`}
        </dd>
      </div>
    </dl>
  );
}

function DisclosureCard({ disclosure: d, canRevoke, onStatus }: { disclosure: Disclosure; canRevoke: boolean; onStatus: (s: string) => void }) {
  const t = useT();
  const format = useFormat();
  const revoke = useMutation(trpc.disclosures.revoke.mutationOptions());
  return (
    <li className="card">
      <h4 className="card__title">{t("disclosure.item", { from: d.fromUnit, to: d.toUnit, date: format.date(d.createdAt) })}</h4>
      <DisclosureFacts disclosure={d} />
      <ErrorMessage error={revoke.error} />
      {canRevoke && !d.revoked && (
        <button
          type="button"
          className="button button--secondary button--small"
          aria-label={t("disclosure.revokeFor", { to: d.toUnit })}
          onClick={() =>
            revoke.mutate(
              { disclosureId: d.id },
              {
                onSuccess: async () => {
                  onStatus(t("disclosure.revokedDone"));
                  await refreshCase();
                },
              },
            )
          }
        >
          {t("disclosure.revoke")}
        </button>
      )}
    </li>
  );
}

type Errors = { statute?: string; recipient?: string; categories?: string; justification?: string };

function DisclosureForm({ onStatus }: { onStatus: (s: string) => void }) {
  const t = useT();
  const { kase } = useCase();
  const formRef = useRef<HTMLFormElement>(null);
  const headingId = useId();
  const statutes = useQuery(trpc.disclosures.statutes.queryOptions());
  const units = useQuery(trpc.units.list.queryOptions());
  const recipients = (units.data ?? []).filter((u) => u.active && u.kind !== "volunteer" && u.id !== kase.owningUnitId);
  const [statuteId, setStatuteId] = useState("");
  const [recipientUnitId, setRecipient] = useState("");
  const [chosen, setChosen] = useState<Category[]>([]);
  const [justification, setJustification] = useState("");
  const [validUntil, setValidUntil] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const create = useMutation(
    trpc.disclosures.create.mutationOptions({
      onSuccess: async () => {
        onStatus(t("disclosure.created"));
        setStatuteId("");
        setRecipient("");
        setChosen([]);
        setJustification("");
        setValidUntil("");
        await refreshCase();
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (create.isPending) return;
    const found: Errors = {
      statute: statuteId ? undefined : t("disclosure.statuteRequired"),
      recipient: recipientUnitId ? undefined : t("disclosure.recipientRequired"),
      categories: chosen.length ? undefined : t("disclosure.categoriesRequired"),
      justification: justification.trim() ? undefined : t("disclosure.justificationRequired"),
    };
    setErrors(found);
    if (Object.values(found).some(Boolean)) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    create.mutate({
      caseId: kase.id,
      statuteId,
      recipientUnitId,
      categories: chosen,
      purposes: ["coordination"],
      justification: justification.trim(),
      validUntil: validUntil ? dayToDate(validUntil) : null,
    });
  };
  const categoriesErrorId = `${headingId}-categories`;
  return (
    <section aria-labelledby={headingId} className="panel">
      <h3 id={headingId}>{t("disclosure.formHeading")}</h3>
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        <ErrorMessage error={create.error} />
        <SelectField label={t("disclosure.statute")} required value={statuteId} onChange={(e) => setStatuteId(e.target.value)} error={errors.statute}>
          <option value="">{t("disclosure.chooseStatute")}</option>
          {(statutes.data ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {statuteLabel(t, s)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("disclosure.recipient")} required value={recipientUnitId} onChange={(e) => setRecipient(e.target.value)} error={errors.recipient}>
          <option value="">{t("disclosure.chooseRecipient")}</option>
          {recipients.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </SelectField>
        <fieldset className="fieldset" aria-describedby={errors.categories ? categoriesErrorId : undefined}>
          <legend>{t("disclosure.categoriesLegend")}</legend>
          {errors.categories && (
            <p id={categoriesErrorId} className="field__error">
              {errors.categories}
            </p>
          )}
          <div className="checkbox-grid">
            {categories.map((c) => (
              <CheckboxField
                key={c}
                label={t(`category.${c}`)}
                checked={chosen.includes(c)}
                aria-invalid={errors.categories ? true : undefined}
                onChange={(e) => setChosen((list) => (e.target.checked ? [...list, c] : list.filter((x) => x !== c)))}
              />
            ))}
          </div>
        </fieldset>
        <TextAreaField
          label={t("disclosure.justification")}
          hint={t("disclosure.justificationHint")}
          required
          value={justification}
          onChange={(e) => setJustification(e.target.value)}
          error={errors.justification}
        />
        <TextField
          label={t("disclosure.validUntil")}
          hint={t("disclosure.validUntilHint")}
          type="date"
          min={isoDay(new Date())}
          value={validUntil}
          onChange={(e) => setValidUntil(e.target.value)}
        />
        <div className="form__actions">
          <button type="submit" className="button">
            {t("disclosure.create")}
          </button>
        </div>
      </form>
    </section>
  );
}
