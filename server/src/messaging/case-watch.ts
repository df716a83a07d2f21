import { idSchema } from "@laget/domain";
import type { Category } from "@laget/policy";
import type { Server, Socket } from "socket.io";
import { z } from "zod";
import { loadActor, type Actor } from "../auth/actor.ts";
import { allows, authorizeCase } from "../cases/access.ts";
import { loadCaseFacts } from "../cases/facts.ts";
import type { Db } from "../db/connect.ts";
import type { AccessChanged, AccessChangedReason, EventBus } from "../events/bus.ts";
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
export type WatchScope = "case" | "plan";
export type AccessEndedReason = "consent_withdrawn" | "consent_expired" | "access_ended";
export type CaseAccessEnded = { caseId: string; scope: WatchScope; reason: AccessEndedReason };

export const caseWatchInput = z.strictObject({ caseId: idSchema, scope: z.enum(["case", "plan"]).default("case") });

const categoryOf: Record<WatchScope, Category> = { case: "identity", plan: "plan" };
export const watchRoom = (scope: WatchScope, caseId: string) => `watch:${scope}:${caseId}`;

/** What a watch was granted on: the kind of basis decides which reason may be told. */
type Watch = { basisKind: string };

export function reasonFor(changed: AccessChangedReason, basisKind: string): AccessEndedReason {
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

export function createCaseWatch(options: { io: Server; db: Db; bus: EventBus; log: Logger }): CaseWatch {
  const { io, db, log } = options;
  /** socket id → room → what the watch was granted on (this node's sockets only). */
  const watches = new Map<string, Map<string, Watch>>();

  function forget(socketId: string, room: string) {
    const mine = watches.get(socketId);
    mine?.delete(room);
    if (mine?.size === 0) watches.delete(socketId);
  }

  async function rejudge(event: AccessChanged): Promise<void> {
    const rooms = (["case", "plan"] as const).map((scope) => ({ scope, room: watchRoom(scope, event.caseId) }));
    const sockets = rooms.flatMap(({ scope, room }) =>
      [...(io.of("/").adapter.rooms.get(room) ?? [])].flatMap((id) => {
        const socket = io.of("/").sockets.get(id) as AnySocket | undefined;
        return socket ? [{ scope, room, socket }] : [];
      }),
    );
    if (sockets.length === 0) return;
    const facts = (await loadCaseFacts(db, [event.caseId])).get(event.caseId);
    const userIds = [...new Set(sockets.map((s) => s.socket.data.actor.id))];
    const actors = new Map(await Promise.all(userIds.map(async (id) => [id, await loadActor(db, id)] as const)));
    // Judged and told in one pass, with nothing awaited in between.
    for (const { scope, room, socket } of sockets) {
      const actor = actors.get(socket.data.actor.id);
      const visible = actor && facts && allows(actor, facts, "identity", "read", "coordination").allow;
      if (visible && allows(actor, facts, categoryOf[scope], "read", "coordination").allow) continue;
      // A recovered socket may be back in a room without its record: it learns no reason.
      const basisKind = watches.get(socket.id)?.get(room)?.basisKind ?? "";
      void socket.leave(room);
      forget(socket.id, room);
      const ended: CaseAccessEnded = { caseId: event.caseId, scope, reason: reasonFor(event.reason, basisKind) };
      (socket as unknown as Socket).emit("case:accessEnded", ended);
    }
  }

  const unsubscribe = options.bus.subscribe((event) => {
    if (event.type === "accessChanged") void rejudge(event).catch((err: unknown) => log.error({ err, caseId: event.caseId }, "case watch re-judging failed"));
  });
  io.on("connection", (socket) => socket.on("disconnect", () => watches.delete(socket.id)));

  return {
    async watch(socket, actor, { caseId, scope }) {
      const access = await authorizeCase(db, actor, caseId, {
        category: categoryOf[scope],
        action: "read",
        purpose: "coordination",
        auditAction: `${scope}.watch`,
        resourceType: scope,
      });
      const room = watchRoom(scope, caseId);
      let mine = watches.get(socket.id);
      if (!mine) watches.set(socket.id, (mine = new Map()));
      mine.set(room, { basisKind: access.basis.kind });
      await socket.join(room);
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
