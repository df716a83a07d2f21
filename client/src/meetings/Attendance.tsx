import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useT } from "../i18n/I18nProvider.tsx";
import { trpc } from "../trpc.ts";
import { StackTable } from "../ui/StackTable.tsx";
import { ErrorMessage, StatusMessage } from "../ui/messages.tsx";
import { refreshMeetings, type MeetingDetail } from "./queries.ts";
import { attendanceStatuses, type AttendanceStatus } from "./types.ts";

type Row = { key: string; name: string; entry: { userId: string } | { externalParticipantId: string } };

/** Oppmøte: present / absent / excused for every named participant and every participant without an account. */
export function Attendance({ detail }: { detail: MeetingDetail }) {
  const t = useT();
  const headingId = useId();
  const { participants, attendance, abilities, meeting } = detail;
  const rows: Row[] = [
    ...participants.users.map((u) => ({ key: `u:${u.id}`, name: u.name, entry: { userId: u.id } })),
    ...participants.externals.map((x) => ({ key: `x:${x.id}`, name: t("meetings.meeting.externalWithRole", { name: x.name, role: x.role }), entry: { externalParticipantId: x.id } })),
  ];
  const recorded = (row: Row): AttendanceStatus | "" => {
    const found = attendance.find((a) => ("userId" in row.entry ? a.userId === row.entry.userId : a.externalParticipantId === row.entry.externalParticipantId));
    return (found?.status as AttendanceStatus | undefined) ?? "";
  };
  const [chosen, setChosen] = useState<Record<string, AttendanceStatus | "">>(() => Object.fromEntries(rows.map((r) => [r.key, recorded(r)])));
  const [status, setStatus] = useState<string | null>(null);
  const save = useMutation(
    trpc.meetings.setAttendance.mutationOptions({
      onSuccess: async () => {
        setStatus(t("meetings.attendance.saved"));
        await refreshMeetings();
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const entries = rows.flatMap((r) => {
      const s = chosen[r.key];
      return s ? [{ ...r.entry, status: s }] : [];
    });
    if (entries.length > 0) save.mutate({ meetingId: meeting.id, entries });
  };
  return (
    <section aria-labelledby={headingId} className="meeting-section">
      <h2 id={headingId}>{t("meetings.attendance.heading")}</h2>
      {rows.length === 0 ? (
        <p>{t("meetings.attendance.none")}</p>
      ) : abilities.recordAttendance ? (
        <form onSubmit={submit} className="form">
          <p className="muted">{t("meetings.attendance.explain")}</p>
          <StackTable columns={[t("meetings.attendance.person"), t("meetings.attendance.status")]}>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.name}</th>
                <td data-label={t("meetings.attendance.status")}>
                  <select className="field__control" aria-label={t("meetings.attendance.statusFor", { name: r.name })} value={chosen[r.key] ?? ""} onChange={(e) => setChosen((c) => ({ ...c, [r.key]: e.target.value as AttendanceStatus | "" }))}>
                    <option value="">{t("meetings.attendance.notRecorded")}</option>
                    {attendanceStatuses.map((s) => (
                      <option key={s} value={s}>
                        {t(`meetings.attendance.${s}`)}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </StackTable>
          <div className="form__actions">
            <button type="submit" className="button button--small" disabled={save.isPending}>
              {t("meetings.attendance.save")}
            </button>
          </div>
          <StatusMessage>{status}</StatusMessage>
          <ErrorMessage error={save.error} />
        </form>
      ) : (
        <StackTable columns={[t("meetings.attendance.person"), t("meetings.attendance.status")]}>
          {rows.map((r) => {
            const s = recorded(r);
            return (
              <tr key={r.key}>
                <th scope="row">{r.name}</th>
                <td data-label={t("meetings.attendance.status")}>{s ? t(`meetings.attendance.${s}`) : t("meetings.attendance.notRecorded")}</td>
              </tr>
            );
          })}
        </StackTable>
      )}
    </section>
  );
}
