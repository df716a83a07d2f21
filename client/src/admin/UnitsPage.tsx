import { unitKinds, type UnitKind } from "@laget/domain";
import { useMutation, useQuery } from "@tanstack/react-query";
import { Fragment, useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useFormat, useT } from "../i18n/I18nProvider.tsx";
import { apiErrorOf, trpc } from "../trpc.ts";
import { FormActions } from "../ui/FormActions.tsx";
import { SelectField, TextField } from "../ui/FormField.tsx";
import { ErrorMessage, LoadFailed, Loading, StatusMessage } from "../ui/messages.tsx";
import { PageHeading } from "../ui/PageHeading.tsx";
import { StackTable } from "../ui/StackTable.tsx";
import { focusFirstInvalid } from "../ui/validation.ts";
import { UnitOptions } from "./options.tsx";
import { refreshOrganisation, type Unit } from "./queries.ts";

const NAME_MAX = 200;
type Panel = "rename" | "deactivate" | "history";

export function UnitsPage() {
  const t = useT();
  const units = useQuery(trpc.units.list.queryOptions());
  const [status, setStatus] = useState<string | null>(null);
  const listHeadingId = useId();

  return (
    <>
      <PageHeading>{t("units.title")}</PageHeading>
      <p>{t("units.intro")}</p>
      <StatusMessage>{status}</StatusMessage>
      <CreateUnitForm units={units.data ?? []} onCreated={(name) => setStatus(t("units.created", { name }))} />
      <section>
        <h2 id={listHeadingId}>{t("units.listHeading")}</h2>
        {units.isPending ? (
          <Loading />
        ) : units.isError ? (
          <LoadFailed error={units.error} onRetry={() => void units.refetch()} />
        ) : units.data.length === 0 ? (
          <p>{t("units.empty")}</p>
        ) : (
          <UnitsTable units={units.data} labelledBy={listHeadingId} onStatus={setStatus} />
        )}
      </section>
    </>
  );
}

function CreateUnitForm({ units, onCreated }: { units: Unit[]; onCreated: (name: string) => void }) {
  const t = useT();
  const headingId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [name, setName] = useState("");
  const [kind, setKind] = useState<UnitKind | "">("");
  const [parent, setParent] = useState("");
  const [errors, setErrors] = useState<{ name?: string; kind?: string }>({});

  const create = useMutation(
    trpc.units.create.mutationOptions({
      onSuccess: async (unit) => {
        setName("");
        setKind("");
        setParent("");
        onCreated(unit.name);
        await refreshOrganisation();
      },
    }),
  );
  const { fieldErrors: server, appCode } = apiErrorOf(create.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (create.isPending) return;
    const found: { name?: string; kind?: string } = {};
    if (!name.trim()) found.name = t("units.nameRequired");
    else if (name.trim().length > NAME_MAX) found.name = t("units.nameTooLong");
    if (!kind) found.kind = t("units.kindRequired");
    setErrors(found);
    if (found.name || found.kind || !kind) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    create.mutate({ name: name.trim(), kind, parentUnitId: parent || null });
  };

  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>{t("units.createHeading")}</h2>
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        <ErrorMessage error={create.error} />
        <TextField
          label={t("units.name")}
          required
          autoComplete="off"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name ?? (appCode === "UNIT_NAME_TAKEN" ? t("units.nameTaken") : server?.name ? t("errors.fieldInvalid") : undefined)}
        />
        <SelectField
          label={t("units.kind")}
          required
          value={kind}
          onChange={(e) => setKind(e.target.value as UnitKind | "")}
          error={errors.kind ?? (server?.kind ? t("errors.fieldInvalid") : undefined)}
        >
          <option value="">{t("units.chooseKind")}</option>
          {unitKinds.map((k) => (
            <option key={k} value={k}>
              {t(`unitKind.${k}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t("units.parent")}
          hint={t("units.parentHint")}
          value={parent}
          onChange={(e) => setParent(e.target.value)}
          error={server?.parentUnitId ? t("units.parentInvalid") : undefined}
        >
          <option value="">{t("units.noParent")}</option>
          <UnitOptions units={units.filter((u) => u.active)} />
        </SelectField>
        <FormActions submit={t("units.create")} />
      </form>
    </section>
  );
}

function UnitsTable({ units, labelledBy, onStatus }: { units: Unit[]; labelledBy: string; onStatus: (s: string) => void }) {
  const t = useT();
  const [open, setOpen] = useState<{ unitId: string; panel: Panel } | null>(null);
  const toggles = useRef(new Map<string, HTMLButtonElement>());
  const nameOf = new Map(units.map((u) => [u.id, u.name]));

  const toggleRef = (key: string) => (el: HTMLButtonElement | null) => {
    if (el) toggles.current.set(key, el);
    else toggles.current.delete(key);
  };
  // When a panel closes, focus goes back to a button in its row rather than to the page top.
  const closeAndFocus = (key: string) => {
    setOpen(null);
    requestAnimationFrame(() => toggles.current.get(key)?.focus());
  };
  const toggle = (unitId: string, panel: Panel) =>
    setOpen((o) => (o?.unitId === unitId && o.panel === panel ? null : { unitId, panel }));

  return (
    <StackTable columns={[t("units.colName"), t("units.colKind"), t("units.colParent"), t("units.colStatus"), t("units.colActions")]} labelledBy={labelledBy}>
      {units.map((unit) => {
        const isOpen = (panel: Panel) => open?.unitId === unit.id && open.panel === panel;
        // The row's buttons that open one of its panels below it (and say whether it is open).
        const panelButton = (panel: Panel, label: string, ariaLabel: string) => (
          <button
            ref={toggleRef(`${unit.id}:${panel}`)}
            type="button"
            className="button button--secondary button--small"
            aria-label={ariaLabel}
            aria-expanded={isOpen(panel)}
            onClick={() => toggle(unit.id, panel)}
          >
            {label}
          </button>
        );
        return (
          <Fragment key={unit.id}>
            <tr className={unit.active ? undefined : "is-inactive"}>
              <th scope="row">{unit.name}</th>
              <td data-label={t("units.colKind")}>{t(`unitKind.${unit.kind}`)}</td>
              <td data-label={t("units.colParent")}>{(unit.parentUnitId && nameOf.get(unit.parentUnitId)) || t("units.noParent")}</td>
              <td data-label={t("units.colStatus")}>
                <span className={unit.active ? "badge badge--ok" : "badge badge--off"}>
                  {unit.active ? t("units.active") : t("units.inactive")}
                </span>
              </td>
              <td className="table__actions">
                <div className="row-actions">
                  {unit.active && panelButton("rename", t("units.rename"), t("units.renameFor", { name: unit.name }))}
                  {unit.active && panelButton("deactivate", t("units.deactivate"), t("units.deactivateFor", { name: unit.name }))}
                  {panelButton("history", t("units.history"), t("units.historyFor", { name: unit.name }))}
                </div>
              </td>
            </tr>
            {open?.unitId === unit.id && (
              <tr className="row-detail">
                <td colSpan={5}>
                  {open.panel === "rename" && (
                    <RenameUnitForm
                      unit={unit}
                      onCancel={() => closeAndFocus(`${unit.id}:rename`)}
                      onDone={(name) => {
                        onStatus(t("units.renamed", { name }));
                        closeAndFocus(`${unit.id}:rename`);
                      }}
                    />
                  )}
                  {open.panel === "deactivate" && (
                    <ConfirmDeactivate
                      unit={unit}
                      onCancel={() => closeAndFocus(`${unit.id}:deactivate`)}
                      onDone={() => {
                        onStatus(t("units.deactivated", { name: unit.name }));
                        closeAndFocus(`${unit.id}:history`);
                      }}
                    />
                  )}
                  {open.panel === "history" && <UnitHistory unit={unit} />}
                </td>
              </tr>
            )}
          </Fragment>
        );
      })}
    </StackTable>
  );
}

function RenameUnitForm({ unit, onDone, onCancel }: { unit: Unit; onDone: (name: string) => void; onCancel: () => void }) {
  const t = useT();
  const inputRef = useRef<HTMLInputElement>(null);
  const [name, setName] = useState(unit.name);
  const [error, setError] = useState<string | undefined>();
  const rename = useMutation(
    trpc.units.rename.mutationOptions({
      onSuccess: async (renamed) => {
        onDone(renamed.name);
        await refreshOrganisation();
      },
    }),
  );

  useEffect(() => inputRef.current?.select(), []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (rename.isPending) return;
    const trimmed = name.trim();
    const found = !trimmed ? t("units.nameRequired") : trimmed.length > NAME_MAX ? t("units.nameTooLong") : undefined;
    setError(found);
    if (found) {
      inputRef.current?.focus();
      return;
    }
    rename.mutate({ unitId: unit.id, name: trimmed });
  };

  return (
    <form className="form form--inline" onSubmit={submit} noValidate>
      <ErrorMessage error={rename.error} />
      <TextField
        inputRef={inputRef}
        label={t("units.newName", { name: unit.name })}
        required
        autoComplete="off"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={error ?? (apiErrorOf(rename.error).appCode === "UNIT_NAME_TAKEN" ? t("units.nameTaken") : undefined)}
      />
      <div className="form__actions">
        <button type="submit" className="button button--small">
          {t("units.saveName")}
        </button>
        <button type="button" className="button button--secondary button--small" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}

function ConfirmDeactivate({ unit, onDone, onCancel }: { unit: Unit; onDone: () => void; onCancel: () => void }) {
  const t = useT();
  const questionRef = useRef<HTMLParagraphElement>(null);
  const deactivate = useMutation(
    trpc.units.deactivate.mutationOptions({
      onSuccess: async () => {
        onDone();
        await refreshOrganisation();
      },
    }),
  );
  // Focus the question itself, so it is read before the choices.
  useEffect(() => questionRef.current?.focus(), []);

  return (
    <div className="confirm">
      <p ref={questionRef} tabIndex={-1} className="confirm__question">
        {t("units.confirmDeactivate", { name: unit.name })}
      </p>
      <ErrorMessage error={deactivate.error} />
      <div className="form__actions">
        <button
          type="button"
          className="button button--danger button--small"
          onClick={() => !deactivate.isPending && deactivate.mutate({ unitId: unit.id })}
        >
          {t("units.confirmYes")}
        </button>
        <button type="button" className="button button--secondary button--small" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </div>
  );
}

function UnitHistory({ unit }: { unit: Unit }) {
  const t = useT();
  const format = useFormat();
  const history = useQuery(trpc.units.history.queryOptions({ unitId: unit.id }));
  return (
    <div className="history">
      <p className="history__heading">{t("units.historyHeading")}</p>
      {history.isPending ? (
        <Loading />
      ) : history.isError ? (
        <LoadFailed error={history.error} onRetry={() => void history.refetch()} />
      ) : history.data.length === 0 ? (
        <p>{t("units.historyEmpty")}</p>
      ) : (
        <ul>
          {history.data.map((h, i) => (
            <li key={i}>
              {h.renamedBy
                ? t("units.historyItem", { date: format.dateTime(h.renamedAt), oldName: h.oldName, newName: h.newName, by: h.renamedBy })
                : t("units.historyItemNoAuthor", { date: format.dateTime(h.renamedAt), oldName: h.oldName, newName: h.newName })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
