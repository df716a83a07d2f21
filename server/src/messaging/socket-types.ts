import type { ServerToClientEvents } from "@laget/realtime";
import type { Server, DefaultEventsMap, Socket } from "socket.io";
import type { Actor } from "../auth/actor.ts";
import type { Delivery } from "../events/user-events.ts";

/** What the gateway keeps on each socket. */
export type SocketData = {
  actor: Actor;
  sessionId: string;
  checkedAt: number;
  away: boolean;
  /** Narrowing events this node had handled when the handshake began: another since, and the session is checked again. */
  judgedAt: number;
};

/** Between nodes: the deliveries of one committed change. */
export interface InterServerEvents {
  deliveries(deliveries: Delivery[]): void;
}
/** The protocol's pushes (@laget/realtime), with Date values before they are serialized. */
export type Pushes = ServerToClientEvents<Date>;
export type LagetServer = Server<DefaultEventsMap, Pushes, InterServerEvents, SocketData>;
export type LagetSocket = Socket<DefaultEventsMap, Pushes, InterServerEvents, SocketData>;
