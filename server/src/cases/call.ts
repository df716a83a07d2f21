import type { Actor } from "../auth/actor.ts";
import type { Db } from "../db/connect.ts";
import type { EventBus } from "../events/bus.ts";
import type { Realtime } from "../messaging/realtime.ts";

/** What every case procedure is called with, beside its own input: one named options object. */
export type CaseCall = { db: Db; actor: Actor };
/** A procedure that tells other nodes of a lapse (`bus`). */
export type CaseCallWithBus = CaseCall & { bus: EventBus };
/** A procedure that rings someone's bell at once (`realtime`). */
export type CaseCallWithRealtime = CaseCall & { realtime: Realtime };

/** What a router hands a procedure from the request context: its database, actor, bus and bell. */
export function callOf(ctx: { db: Db; actor: Actor; bus: EventBus; realtime: Realtime }): CaseCallWithBus & CaseCallWithRealtime {
  return { db: ctx.db, actor: ctx.actor, bus: ctx.bus, realtime: ctx.realtime };
}
