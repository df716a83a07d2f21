import { mayReadReferralFigures } from "@laget/policy";
import { sql } from "kysely";
import type { AsActor } from "../auth/actor.ts";
import { policyActor } from "../cases/access.ts";

/**
 * Referral figures per offer and per receiving unit (DESIGN.md §7): referrals sent (any
 * status but draft, withdrawn ones included as the anonymous count they are), the median
 * time from sending to the first response, the share that ever reached `accepted`, the
 * share completed, and the waiting list (on hold now). Aggregated in SQL: no referral,
 * child or person is ever listed. A count under SMALL_COUNT is shown as "<5", and every
 * share (and the median) is null while fewer than SMALL_COUNT were sent, so a small unit's
 * figures do not point at a family. Each row is shown by the policy's
 * mayReadReferralFigures: the unit's own members, and leaders and admins for all.
 */
export const SMALL_COUNT = 5;
export type SmallCount = number | "<5";

export type FigureRow = {
  id: string;
  name: string;
  sent: SmallCount;
  medianFirstResponseHours: number | null;
  acceptedShare: number | null;
  completedShare: number | null;
  waitingList: SmallCount;
};
export type Figures = { offers: FigureRow[]; units: FigureRow[] };

type Raw = { id: string; name: string; unit_id: string; sent: number; median_hours: number | null; accepted: number; completed: number; waiting: number };

const small = (n: number): SmallCount => (n < SMALL_COUNT ? "<5" : n);
const share = (part: number, whole: number) => Math.round((part / whole) * 100) / 100;

function row(r: Raw): FigureRow {
  const enough = r.sent >= SMALL_COUNT;
  return {
    id: r.id,
    name: r.name,
    sent: small(r.sent),
    medianFirstResponseHours: enough && r.median_hours !== null ? Math.round(Number(r.median_hours) * 10) / 10 : null,
    acceptedShare: enough ? share(r.accepted, r.sent) : null,
    completedShare: enough ? share(r.completed, r.sent) : null,
    waitingList: small(r.waiting),
  };
}

export async function figures({ db, actor }: AsActor): Promise<Figures> {
  const m = actor.municipalityId;
  // The municipality's referrals once sent, each with whether it ever reached accepted.
  const sent = sql`
    select r.id, r.offer_id, r.recipient_unit_id, r.status, r.sent_at, r.first_response_at,
      exists (select 1 from referral_events e where e.referral_id = r.id and e.to_status = 'accepted') as accepted
    from referrals r
    where r.municipality_id = ${m} and r.status <> 'draft'`;
  const measures = sql`
    count(s.id)::int as sent,
    percentile_cont(0.5) within group (order by extract(epoch from (s.first_response_at - s.sent_at)) / 3600.0) as median_hours,
    (count(s.id) filter (where s.accepted))::int as accepted,
    (count(s.id) filter (where s.status = 'completed'))::int as completed,
    (count(s.id) filter (where s.status = 'on_hold'))::int as waiting`;
  const [offers, units] = await Promise.all([
    sql<Raw>`
      with s as (${sent})
      select o.id, o.title as name, o.owner_unit_id as unit_id, ${measures}
      from offers o left join s on s.offer_id = o.id
      where o.municipality_id = ${m} and (o.archived_at is null or s.id is not null)
      group by o.id, o.title, o.owner_unit_id
      order by o.title, o.id`.execute(db),
    // Receiving units: volunteer units, units with an offer in the directory, and any unit that received a referral.
    sql<Raw>`
      with s as (${sent})
      select u.id, u.name, u.id as unit_id, ${measures}
      from units u left join s on s.recipient_unit_id = u.id
      where u.municipality_id = ${m}
        and (s.id is not null
          or (u.valid_to is null and (u.kind = 'volunteer' or exists (select 1 from offers o where o.owner_unit_id = u.id and o.archived_at is null))))
      group by u.id, u.name
      order by u.name, u.id`.execute(db),
  ]);
  const subject = policyActor(actor);
  const visible = (r: Raw) => mayReadReferralFigures(subject, { municipalityId: m, unitId: r.unit_id }).allow;
  return { offers: offers.rows.filter(visible).map(row), units: units.rows.filter(visible).map(row) };
}
