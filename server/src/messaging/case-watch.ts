import { idSchema } from "@laget/domain";
import type { AccessEndedReason, CaseAccessEnded, WatchScope } from "@laget/realtime";
import type { Category } from "@laget/policy";
import type { Server, Socket } from "socket.io";
import { z } from "zod";
import { loadActor, type Actor } from "../auth/actor.ts";
import { decisionFor, authorizeCase } from "../cases/access.ts";
import { loadCaseFacts } from "../cases/facts.ts";
import type { Db } from "../db/connect.ts";
import type { AccessChangedReason, EventBus, MembershipChangedReason } from "../events/bus.ts";
import type { LapseTimer } from "../events/lapse-timer.ts";
import type { Logger } from "../log.ts";

/**
 * Open case pages, watched (DESIGN.md §4.3 "when a basis lapses"). A client emits
 * `case:watch { caseId }` when a case page opens, or `{ caseId, scope: "plan" }` for a
 * plan it keeps a copy of on the device; the watch is decided and audited like any read
 * (a case the user cannot see answers NOT_FOUND, exactly like a missing one), and the
 * socket joins the case's watch room. When the bus says access to the case narrowed,
 * every node judges its own sockets in that room again; those that lost access leave it
 * and get `case:accessEnded { caseId, scope, reason }`, and clear what they show.
 *
 * The reason says no more than the user knew: that the consent they saw the case under
 * was withdrawn or ran out, or else only that access ended.
 */
export type { AccessEndedReason, CaseAccessEnded, WatchScope };

export const caseWatchInput = z.strictObject({ caseId: idSchema, scope: z.enum(["case", "plan"]).default("case") });

const categoryOf: Record<WatchScope, Category> = { case: "identity", plan: "plan" };
export const watchRoom = (scope: WatchScope, caseId: string) => `watch:${scope}:${caseId}`;

/** What a watch was granted on: the kind of basis decides which reason may be told. */
type Watch = { basisKind: string };

/** Why watches are judged again: the bus event's reason, or a narrowing seen while one was set up. */
type ChangeReason = AccessChangedReason | MembershipChangedReason | "access_changed";

export function reasonFor(changed: ChangeReason, basisKind: string): AccessEndedReason {
  if (basisKind !== "consent") return "access_ended";
  if (changed === "consent_withdrawn") return "consent_withdrawn";
  if (changed === "consent_expired") return "consent_expired";
  return "access_ended";
}

type AnySocket = Socket<never, never, never, { actor: Actor }>;

export type CaseWatch = {
  watch(socket: Socket, actor: Actor, input: z.output<typeof caseWatchInput>): Promise<Record<string, never>>;
  unwatch(socket: Socket, input: z.output<typeof caseWatchInput>): Promise<Record<string, never>>;
  close(): void;
};

export function createCaseWatch(options: { io: Server; db: Db; bus: EventBus; log: Logger; lapses?: LapseTimer }): CaseWatch {
  const { io, db, log } = options;
  /** socket id → room → what the watch was granted on (this node's sockets only). */
  const watches = new Map<string, Map<string, Watch>>();
  /** Narrowing events this node has handled: a watch judged while one started is judged again. */
  let narrowings = 0;

  function forget(socketId: string, room: string) {
    const mine = watches.get(socketId);
    mine?.delete(room);
    if (mine?.size === 0) watches.delete(socketId);
  }

  type Watched = { caseId: string; scope: WatchScope; room: string; socket: AnySocket };

  const socketOf = (id: string) => io.of("/").sockets.get(id) as AnySocket | undefined;
  const watchOf = (socket: AnySocket, room: string): Watched | null => {
    const m = /^watch:(case|plan):(.+)$/.exec(room);
    return m ? { caseId: m[2]!, scope: m[1] as WatchScope, room, socket } : null;
  };

  /** This node's watches of the case. */
  function watchesOfCase(caseId: string): Watched[] {
    return (["case", "plan"] as const).flatMap((scope) => {
      const room = watchRoom(scope, caseId);
      return [...(io.of("/").adapter.rooms.get(room) ?? [])].flatMap((id) => {
        const socket = socketOf(id);
        return socket ? [{ caseId, scope, room, socket }] : [];
      });
    });
  }

  /** This node's watches by these users, of any case. */
  function watchesOfUsers(userIds: ReadonlySet<string>): Watched[] {
    return [...io.of("/").sockets.values()]
      .filter((socket) => userIds.has((socket as AnySocket).data.actor.id))
      .flatMap((socket) => [...socket.rooms].flatMap((room) => watchOf(socket as AnySocket, room) ?? []));
  }

  /** Judges these watches again; those that lost access leave their room and are told why. */
  async function rejudge(list: Watched[], reason: ChangeReason): Promise<void> {
    if (list.length === 0) return;
    const facts = await loadCaseFacts(db, [...new Set(list.map((w) => w.caseId))]);
    for (const f of facts.values()) options.lapses?.track(f);
    const userIds = [...new Set(list.map((w) => w.socket.data.actor.id))];
    const actors = new Map(await Promise.all(userIds.map(async (id) => [id, await loadActor(db, id)] as const)));
    // Judged and told in one pass, with nothing awaited in between.
    for (const { caseId, scope, room, socket } of list) {
      const actor = actors.get(socket.data.actor.id);
      const f = facts.get(caseId);
      const visible = actor && f && decisionFor(actor, f, "identity", "read", "coordination").allow;
      if (visible && decisionFor(actor, f, categoryOf[scope], "read", "coordination").allow) continue;
      // A recovered socket may be back in a room without its record: it learns no reason.
      const basisKind = watches.get(socket.id)?.get(room)?.basisKind ?? "";
      void socket.leave(room);
      forget(socket.id, room);
      const ended: CaseAccessEnded = { caseId, scope, reason: reasonFor(reason, basisKind) };
      (socket as unknown as Socket).emit("case:accessEnded", ended);
    }
  }

  // Handled before this node acknowledges the event: the narrowing call waits for it.
  const unsubscribe = options.bus.subscribe(async (event) => {
    if (event.type !== "accessChanged" && event.type !== "membershipChanged") return;
    narrowings++;
    const list = event.type === "accessChanged" ? watchesOfCase(event.caseId) : watchesOfUsers(new Set(event.userIds));
    await rejudge(list, event.reason).catch((err: unknown) => log.error({ err, event: event.type }, "case watch re-judging failed"));
  });
  io.on("connection", (socket) => socket.on("disconnect", () => watches.delete(socket.id)));

  return {
    async watch(socket, actor, { caseId, scope }) {
      const seen = narrowings;
      const access = await authorizeCase(db, actor, caseId, {
        category: categoryOf[scope],
        action: "read",
        purpose: "coordination",
        auditAction: `${scope}.watch`,
        resourceType: scope,
      });
      options.lapses?.track(access.facts);
      const room = watchRoom(scope, caseId);
      let mine = watches.get(socket.id);
      if (!mine) watches.set(socket.id, (mine = new Map()));
      mine.set(room, { basisKind: access.basis.kind });
      await socket.join(room);
      // A narrowing handled meanwhile did not see this socket in the room: judge it again.
      if (seen !== narrowings) await rejudge([{ caseId, scope, room, socket: socket as unknown as AnySocket }], "access_changed");
      return {};
    },
    async unwatch(socket, { caseId, scope }) {
      const room = watchRoom(scope, caseId);
      await socket.leave(room);
      forget(socket.id, room);
      return {};
    },
    close: unsubscribe,
  };
}
