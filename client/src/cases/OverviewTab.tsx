import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import type { TFunction } from "../i18n/types.ts";
import { trpc } from "../trpc.ts";
import { SelectField, TextField } from "../ui/FormField.tsx";
import { ErrorMessage, StatusMessage } from "../ui/messages.tsx";
import { focusFirstInvalid } from "../ui/validation.ts";
import { CaseMeetings } from "../meetings/CaseMeetings.tsx";
import { useCase } from "./CasePage.tsx";
import { PendingHandover } from "./HandoverTab.tsx";
import { btiKey, btiLevels, categoryList, refreshCase, useFormat, type CaseDetail } from "./shared.ts";
import { blankSubject, hasSubjectErrors, SubjectFields, subjectInput, validateSubject, type SubjectDraft, type SubjectErrors } from "./SubjectFields.tsx";

export function OverviewTab() {
  const t = useT();
  const format = useFormat();
  const { actor, kase } = useCase();
  const [status, setStatus] = useState<string | null>(null);
  const factsId = useId();
  const basisId = useId();
  const subjectsId = useId();
  const basisUnit = actor.memberships.find((m) => m.unitId === kase.basis.unitId)?.unitName ?? kase.owningUnitName;
  const basisText =
    kase.basis.kind === "own_unit"
      ? t("overview.basisOwnUnit", { unit: basisUnit })
      : kase.basis.kind === "consent"
        ? t("overview.basisConsent", { unit: basisUnit, version: kase.basis.consentVersion })
        : t("overview.basisDisclosure", { unit: basisUnit });

  return (
    <>
      <StatusMessage>{status}</StatusMessage>
      {kase.pendingHandover?.forMe && <PendingHandover kase={kase} onStatus={setStatus} />}
      <section aria-labelledby={factsId} className="panel">
        <h2 id={factsId}>{t("overview.factsHeading")}</h2>
        <dl className="facts">
          <div>
            <dt>{t("overview.owner")}</dt>
            <dd>{kase.owningUnitName}</dd>
          </div>
          <div>
            <dt>{t("overview.coordinator")}</dt>
            <dd>
              {kase.coordinatorName} {kase.isCoordinator && <span className="muted">{t("cases.youCoordinate")}</span>}
            </dd>
          </div>
          <div>
            <dt>{t("overview.level")}</dt>
            <dd>{t(btiKey(kase.btiLevel))}</dd>
          </div>
          <div>
            <dt>{t("overview.status")}</dt>
            <dd>{t(`caseStatus.${kase.status}`)}</dd>
          </div>
          <div>
            <dt>{t("overview.created")}</dt>
            <dd>{format.date(kase.createdAt)}</dd>
          </div>
          {kase.closedReason && (
            <div>
              <dt>{t("overview.closedReason")}</dt>
              <dd>{kase.closedReason}</dd>
            </div>
          )}
        </dl>
      </section>
      <section aria-labelledby={basisId} className="panel">
        <h2 id={basisId}>{t("overview.basisHeading")}</h2>
        <p>{basisText}</p>
        <p>
          {kase.readableCategories.length
            ? t("overview.readable", { categories: categoryList(t, kase.readableCategories) })
            : t("overview.readableNone")}
        </p>
        <p>
          {kase.readableFromOthers.length
            ? t("overview.readableFromOthers", { categories: categoryList(t, kase.readableFromOthers) })
            : t("overview.readableFromOthersNone")}
        </p>
      </section>
      <section aria-labelledby={subjectsId} className="panel">
        <h2 id={subjectsId}>{t("overview.subjectsHeading")}</h2>
        <ul>
          {kase.subjects.map((s) => (
            <li key={s.id}>
              {s.name} ({t(`subjectRole.${s.role}`)}
              {s.birthDate
                ? `, ${t("overview.born", { date: format.date(s.birthDate) })}`
                : s.birthYear
                  ? `, ${t("overview.bornYear", { year: s.birthYear })}`
                  : ""}
              )
            </li>
          ))}
        </ul>
        {kase.abilities.edit ? (
          <AddSubjectForm onStatus={setStatus} />
        ) : (
          <p className="muted">{kase.status === "closed" ? t("overview.closedSubjects") : t("overview.onlyCoordinatorSubjects", { coordinator: kase.coordinatorName })}</p>
        )}
      </section>
      <Participants onStatus={setStatus} />
      {kase.abilities.edit && <CoordinatorControls onStatus={setStatus} />}
      {!kase.isCoordinator && <p className="muted">{t("overview.onlyCoordinatorEdit")}</p>}
      {kase.status === "closed" && <p className="muted">{t("overview.caseClosed")}</p>}
      <CaseMeetings caseId={kase.id} />
    </>
  );
}

type Access = NonNullable<CaseDetail["participants"][number]["access"]>;

function basisWords(t: TFunction, basis: Extract<Access, { canSee: true }>["basis"]): string {
  if (basis.kind === "consent") return t("overview.accessBasisConsent", { version: basis.consentVersion });
  return basis.kind === "disclosure" ? t("overview.accessBasisDisclosure") : t("overview.accessBasisOwnUnit");
}

/** What a participant can see now and why, or what would let them: as the server decided it. */
export function accessText(t: TFunction, access: Access): string {
  if (!access.canSee) return access.needs === "named" ? t("overview.accessNeedsNamed") : t("overview.accessNeedsConsent");
  const beyond = access.categories.filter((c) => c !== "identity");
  return beyond.length
    ? t("overview.accessSees", { basis: basisWords(t, access.basis), categories: categoryList(t, beyond) })
    : t("overview.accessSeesIdentity", { basis: basisWords(t, access.basis) });
}

function addedText(t: TFunction, name: string, access: Access): string {
  if (access.canSee) return t("overview.addedWithAccess", { name, basis: basisWords(t, access.basis) });
  return access.needs === "named" ? t("overview.addedNamedOnly", { name }) : t("overview.addedNoAccess", { name });
}

function Participants({ onStatus }: { onStatus: (s: string) => void }) {
  const t = useT();
  const { kase } = useCase();
  const headingId = useId();
  const [error, setError] = useState<unknown>(null);
  const remove = useMutation(trpc.cases.removeParticipant.mutationOptions({ onMutate: () => setError(null), onError: setError }));
  const canEdit = kase.abilities.edit;

  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>{t("overview.participantsHeading")}</h2>
      <p className="muted">{t("overview.participantsIntro")}</p>
      {kase.participants.some((p) => !p.access) && <p className="muted">{t("overview.accessHidden")}</p>}
      {kase.participants.length === 0 ? (
        <p>{t("overview.noParticipants")}</p>
      ) : (
        <ul className="memberships">
          {kase.participants.map((p) => {
            const name = p.userName ? `${p.userName}, ${p.unitName}` : `${p.unitName} (${t("overview.wholeUnit")})`;
            return (
              <li key={p.id}>
                <span>{name}</span>
                {p.access && <span className="participant-access muted">{accessText(t, p.access)}</span>}
                {/* The coordinator's own row goes with the baton (a handover), never by a click here. */}
                {canEdit && p.userId !== kase.coordinatorUserId && (
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    aria-label={t("overview.removeFor", { name })}
                    onClick={() =>
                      remove.mutate(
                        { caseId: kase.id, participantId: p.id },
                        {
                          onSuccess: async () => {
                            onStatus(t("overview.removed", { name }));
                            await refreshCase();
                          },
                        },
                      )
                    }
                  >
                    {t("overview.remove")}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <ErrorMessage error={error} />
      {canEdit ? (
        <AddParticipantForm onStatus={onStatus} />
      ) : (
        <p className="muted">{kase.status === "closed" ? t("overview.closedParticipants") : t("overview.onlyCoordinatorParticipants")}</p>
      )}
    </section>
  );
}

/** Adds a child, youth or parent to the case, judged like the new-case form (the server checks again). */
function AddSubjectForm({ onStatus }: { onStatus: (s: string) => void }) {
  const t = useT();
  const { kase } = useCase();
  const formRef = useRef<HTMLFormElement>(null);
  const headingId = useId();
  const [subject, setSubject] = useState<SubjectDraft>(() => blankSubject("parent"));
  const [errors, setErrors] = useState<SubjectErrors>({});
  const add = useMutation(trpc.cases.addSubject.mutationOptions());

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (add.isPending) return;
    const found = validateSubject(t, subject);
    setErrors(found);
    if (hasSubjectErrors(found)) {
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    const input = subjectInput(subject);
    add.mutate(
      { caseId: kase.id, subject: input },
      {
        onSuccess: async () => {
          onStatus(t("overview.subjectAdded", { name: input.name }));
          setSubject(blankSubject("parent"));
          await refreshCase();
        },
      },
    );
  };

  return (
    <form ref={formRef} className="form" onSubmit={submit} noValidate aria-labelledby={headingId}>
      <h3 id={headingId}>{t("overview.addSubjectHeading")}</h3>
      <p className="muted">{t("overview.addSubjectHint")}</p>
      <ErrorMessage error={add.error} />
      <SubjectFields subject={subject} errors={errors} onChange={(patch) => setSubject((s) => ({ ...s, ...patch }))} />
      <div className="form__actions">
        <button type="submit" className="button button--secondary">
          {t("overview.addSubject")}
        </button>
      </div>
    </form>
  );
}

function AddParticipantForm({ onStatus }: { onStatus: (s: string) => void }) {
  const t = useT();
  const { kase } = useCase();
  const formRef = useRef<HTMLFormElement>(null);
  const [unitId, setUnitId] = useState("");
  const [userId, setUserId] = useState("");
  const [error, setError] = useState<string | undefined>();
  const units = useQuery(trpc.units.list.queryOptions());
  const directory = useQuery(trpc.users.directory.queryOptions());
  const add = useMutation(
    trpc.cases.addParticipant.mutationOptions({
      onSuccess: async (result, input) => {
        const unit = choosable.find((u) => u.id === input.unitId)?.name ?? "";
        const person = (directory.data ?? []).find((p) => p.id === input.userId)?.displayName;
        onStatus(addedText(t, person ?? unit, result.access));
        setUnitId("");
        setUserId("");
        await refreshCase();
      },
    }),
  );
  const choosable = (units.data ?? []).filter((u) => u.active && u.kind !== "volunteer");
  const people = (directory.data ?? []).filter((p) => p.units.some((u) => u.unitId === unitId));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (add.isPending) return;
    if (!unitId) {
      setError(t("overview.unitRequired"));
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
      return;
    }
    setError(undefined);
    add.mutate({ caseId: kase.id, unitId, userId: userId || null });
  };

  return (
    <form ref={formRef} className="form" onSubmit={submit} noValidate>
      <h3>{t("overview.addParticipantHeading")}</h3>
      <p className="muted">{t("overview.addParticipantHint")}</p>
      <ErrorMessage error={add.error} />
      <SelectField
        label={t("overview.unit")}
        required
        value={unitId}
        onChange={(e) => {
          setUnitId(e.target.value);
          setUserId("");
        }}
        error={error}
      >
        <option value="">{t("overview.chooseUnit")}</option>
        {choosable.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name}
          </option>
        ))}
      </SelectField>
      <SelectField label={t("overview.person")} hint={t("overview.personHint")} value={userId} onChange={(e) => setUserId(e.target.value)} disabled={!unitId}>
        <option value="">{t("overview.wholeUnitOption")}</option>
        {people.map((p) => (
          <option key={p.id} value={p.id}>
            {p.displayName}
          </option>
        ))}
      </SelectField>
      <div className="form__actions">
        <button type="submit" className="button button--secondary">
          {t("overview.add")}
        </button>
      </div>
    </form>
  );
}

function CoordinatorControls({ onStatus }: { onStatus: (s: string) => void }) {
  const t = useT();
  const { kase } = useCase();
  const editId = useId();
  const closeId = useId();
  const [level, setLevel] = useState(String(kase.btiLevel));
  const [status, setStatus] = useState<"open" | "paused">(kase.status === "paused" ? "paused" : "open");
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | undefined>();
  const closeFormRef = useRef<HTMLFormElement>(null);
  const update = useMutation(
    trpc.cases.update.mutationOptions({
      onSuccess: async () => {
        onStatus(t("overview.saved"));
        await refreshCase();
      },
    }),
  );
  const close = useMutation(
    trpc.cases.close.mutationOptions({
      onSuccess: async () => {
        onStatus(t("overview.closed"));
        await refreshCase();
      },
    }),
  );

  const submitClose = (event: FormEvent) => {
    event.preventDefault();
    if (close.isPending) return;
    if (!reason.trim()) {
      setReasonError(t("overview.closeReasonRequired"));
      requestAnimationFrame(() => focusFirstInvalid(closeFormRef.current));
      return;
    }
    setReasonError(undefined);
    close.mutate({ caseId: kase.id, reason: reason.trim() });
  };

  return (
    <>
      <section aria-labelledby={editId} className="panel">
        <h2 id={editId}>{t("overview.editHeading")}</h2>
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            update.mutate({ caseId: kase.id, btiLevel: Number(level), status });
          }}
        >
          <ErrorMessage error={update.error} />
          <SelectField label={t("overview.level")} value={level} onChange={(e) => setLevel(e.target.value)}>
            {btiLevels.map((l) => (
              <option key={l} value={l}>
                {t(btiKey(l))}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("overview.status")} value={status} onChange={(e) => setStatus(e.target.value as "open" | "paused")}>
            <option value="open">{t("caseStatus.open")}</option>
            <option value="paused">{t("caseStatus.paused")}</option>
          </SelectField>
          <div className="form__actions">
            <button type="submit" className="button">
              {t("overview.save")}
            </button>
          </div>
        </form>
      </section>
      <section aria-labelledby={closeId} className="panel">
        <h2 id={closeId}>{t("overview.closeHeading")}</h2>
        <p className="muted">{t("overview.closeHint")}</p>
        <form ref={closeFormRef} className="form" onSubmit={submitClose} noValidate>
          <ErrorMessage error={close.error} />
          <TextField label={t("overview.closeReason")} required value={reason} onChange={(e) => setReason(e.target.value)} error={reasonError} />
          <div className="form__actions">
            <button type="submit" className="button button--danger">
              {t("overview.close")}
            </button>
          </div>
        </form>
      </section>
    </>
  );
}
