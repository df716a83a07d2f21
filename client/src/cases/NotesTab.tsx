import { NOTE_MAX_LENGTH, noteKinds } from "@laget/domain";
import { categories, type Category } from "@laget/policy";
import { useMutation, useQuery } from "@tanstack/react-query";
import type { inferOutput } from "@trpc/tanstack-react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import type { TFunction } from "../i18n/types.ts";
import { apiErrorOf, trpc } from "../trpc.ts";
import { SelectField, TextAreaField } from "../ui/FormField.tsx";
import { ErrorMessage, LoadFailed, Loading, StatusMessage } from "../ui/messages.tsx";
import { focusFirstInvalid } from "../ui/validation.ts";
import { useCase } from "./CasePage.tsx";
import { categoryList, refreshCase, useFormat } from "./shared.ts";

type Note = inferOutput<typeof trpc.cases.notes>["notes"][number];
type Kind = (typeof noteKinds)[number];

export function NotesTab() {
  const t = useT();
  const { kase } = useCase();
  const notes = useQuery(trpc.cases.notes.queryOptions({ caseId: kase.id }));
  const [filter, setFilter] = useState<Category | "">("");
  const [status, setStatus] = useState<string | null>(null);
  const listId = useId();

  // Own notes are always readable; of other services' notes, what decide() allows from at least one of them.
  const fromOthers = notes.data?.readableFromOthers ?? [];
  const inList = categories.filter((c) => (notes.data?.notes ?? []).some((n) => n.category === c));
  const shown = (notes.data?.notes ?? []).filter((n) => !filter || n.category === filter);

  return (
    <>
      <h2>{t("notes.heading")}</h2>
      {notes.data && (
        <p>
          {t("notes.explainOwn")}{" "}
          {fromOthers.length ? t("notes.explain", { categories: categoryList(t, fromOthers) }) : t("notes.explainNone")}
        </p>
      )}
      <StatusMessage>{status}</StatusMessage>
      {kase.abilities.addNote && <AddNoteForm onStatus={setStatus} />}
      <section aria-labelledby={listId}>
        <h3 id={listId}>{t("notes.heading")}</h3>
        <div className="form">
          <SelectField label={t("notes.filter")} value={filter} onChange={(e) => setFilter(e.target.value as Category | "")}>
            <option value="">{t("notes.allCategories")}</option>
            {inList.map((c) => (
              <option key={c} value={c}>
                {t(`category.${c}`)}
              </option>
            ))}
          </SelectField>
        </div>
        {notes.isPending ? (
          <Loading />
        ) : notes.isError ? (
          <LoadFailed error={notes.error} onRetry={() => void notes.refetch()} />
        ) : shown.length === 0 ? (
          <p>{t("notes.empty")}</p>
        ) : (
          <ul className="card-list">
            {shown.map((n) => (
              <NoteCard key={n.id} note={n} onStatus={setStatus} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/** What is wrong with a note's text, if anything: empty, or longer than a note may be (said at the field). */
function bodyProblem(t: TFunction, body: string): string | undefined {
  const length = body.trim().length;
  if (length === 0) return t("notes.bodyRequired");
  if (length > NOTE_MAX_LENGTH) return t("notes.bodyTooLong", { max: NOTE_MAX_LENGTH, over: length - NOTE_MAX_LENGTH });
  return undefined;
}

/** The server's word on the text field, if the form's own check let something through. */
const serverBodyError = (t: TFunction, error: unknown) => (apiErrorOf(error).fieldErrors?.body ? t("errors.fieldInvalid") : undefined);

function AddNoteForm({ onStatus }: { onStatus: (s: string) => void }) {
  const t = useT();
  const { kase } = useCase();
  const formRef = useRef<HTMLFormElement>(null);
  const headingId = useId();
  const [category, setCategory] = useState<Category | "">("");
  const [kind, setKind] = useState<Kind>("observation");
  const [body, setBody] = useState("");
  const [errors, setErrors] = useState<{ category?: string; body?: string }>({});
  const add = useMutation(
    trpc.cases.addNote.mutationOptions({
      onSuccess: async () => {
        onStatus(t("notes.added"));
        setBody("");
        await refreshCase();
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (add.isPending) return;
    const found = { category: category ? undefined : t("notes.categoryRequired"), body: bodyProblem(t, body) };
    setErrors(found);
    if (!category || found.body) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    add.mutate({ caseId: kase.id, category, kind, body: body.trim() });
  };
  return (
    <section aria-labelledby={headingId} className="panel">
      <h3 id={headingId}>{t("notes.addHeading")}</h3>
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        <ErrorMessage error={add.error} />
        <CategorySelect required value={category} onChange={setCategory} error={errors.category} />
        <SelectField label={t("notes.kind")} hint={t("notes.kindHint")} value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          {noteKinds.map((k) => (
            <option key={k} value={k}>
              {t(`notes.${k}`)}
            </option>
          ))}
        </SelectField>
        <BodyField value={body} onChange={setBody} error={errors.body ?? serverBodyError(t, add.error)} />
        <div className="form__actions">
          <button type="submit" className="button">
            {t("notes.add")}
          </button>
        </div>
      </form>
    </section>
  );
}

function NoteCard({ note, onStatus }: { note: Note; onStatus: (s: string) => void }) {
  const t = useT();
  const format = useFormat();
  const [editing, setEditing] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const [category, setCategory] = useState<Category>(note.category);
  const [body, setBody] = useState(note.body);
  const [bodyError, setBodyError] = useState<string | undefined>();
  const date = format.dateTime(note.createdAt);
  const edit = useMutation(
    trpc.cases.editNote.mutationOptions({
      onSuccess: async () => {
        onStatus(t("notes.saved"));
        setEditing(false);
        await refreshCase();
      },
    }),
  );
  const history = useQuery({ ...trpc.cases.noteHistory.queryOptions({ noteId: note.id }), enabled: showHistory });

  return (
    <li className="card">
      <p className="badges">
        <span className={note.kind === "bright_spot" ? "badge badge--ok" : "badge badge--off"}>{t(`notes.${note.kind}`)}</span>
        <span className="badge badge--off">{t(`category.${note.category}`)}</span>
        {note.edited && <span className="badge badge--warn">{t("notes.edited")}</span>}
      </p>
      {editing ? (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            const problem = bodyProblem(t, body);
            setBodyError(problem);
            if (!problem) edit.mutate({ noteId: note.id, category, body: body.trim(), version: note.version });
          }}
        >
          <ErrorMessage error={edit.error} />
          <CategorySelect value={category} onChange={(c) => c && setCategory(c)} />
          <BodyField value={body} onChange={setBody} error={bodyError ?? serverBodyError(t, edit.error)} />
          <div className="form__actions">
            <button type="submit" className="button button--small">
              {t("notes.save")}
            </button>
            <button type="button" className="button button--secondary button--small" onClick={() => setEditing(false)}>
              {t("common.cancel")}
            </button>
          </div>
        </form>
      ) : (
        <p className="note__body">{note.body}</p>
      )}
      <p className="muted">{t("notes.meta", { author: note.authorName, unit: note.unitName, date })}</p>
      <div className="row-actions">
        {note.abilities.edit && !editing && (
          <button type="button" className="button button--secondary button--small" aria-label={t("notes.editFor", { date })} onClick={() => setEditing(true)}>
            {t("notes.edit")}
          </button>
        )}
        {note.mine && note.edited && (
          <button
            type="button"
            className="button button--secondary button--small"
            aria-label={t("notes.historyFor", { date })}
            aria-expanded={showHistory}
            onClick={() => setShowHistory((s) => !s)}
          >
            {t("notes.history")}
          </button>
        )}
      </div>
      {showHistory && (
        <div className="history">
          <p className="history__heading">{t("notes.historyHeading")}</p>
          {history.isPending ? (
            <Loading />
          ) : history.isError ? (
            <ErrorMessage error={history.error} />
          ) : history.data.length === 0 ? (
            <p>{t("notes.historyEmpty")}</p>
          ) : (
            <ul>
              {history.data.map((v) => (
                <li key={v.version}>
                  <p className="muted">{t("notes.historyItem", { version: v.version, date: format.dateTime(v.replacedAt), by: v.editedBy })}</p>
                  <p>
                    {t(`category.${v.category}`)}: {v.body}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </li>
  );
}

/** A note's category: required (with a "choose" option) when adding, preset when editing. */
function CategorySelect({ value, onChange, required = false, error }: { value: Category | ""; onChange: (c: Category | "") => void; required?: boolean; error?: string }) {
  const t = useT();
  return (
    <SelectField label={t("notes.category")} required={required} value={value} onChange={(e) => onChange(e.target.value as Category | "")} error={error}>
      {required && <option value="">{t("notes.chooseCategory")}</option>}
      {categories.map((c) => (
        <option key={c} value={c}>
          {t(`category.${c}`)}
        </option>
      ))}
    </SelectField>
  );
}

/** A note's text, with the count against its limit. */
function BodyField({ value, onChange, error }: { value: string; onChange: (body: string) => void; error: string | undefined }) {
  const t = useT();
  return <TextAreaField label={t("notes.body")} required limit={NOTE_MAX_LENGTH} value={value} onChange={(e) => onChange(e.target.value)} error={error} />;
}
