/**
 * The bare baseline of the messaging benchmark (messaging.ts): a minimal socket.io server
 * in a process of its own. A client joins the rooms of the conversations named in its
 * handshake; a `message:send` is numbered, emitted once to its conversation's room and
 * acked. No database, no judge, no per-user log: what socket.io alone costs.
 * Prints `listening on <port>` once it listens.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import type { Server as SocketIoServer } from "../../server/node_modules/socket.io/dist/index.js";

// socket.io is the server package's dependency: resolved from there.
const require = createRequire(new URL("../../server/package.json", import.meta.url));
const { Server } = require("socket.io") as { Server: typeof SocketIoServer };

const http = createServer();
const io = new Server(http, { serveClient: false, maxHttpBufferSize: 128 * 1024 });
const seqs = new Map<string, number>();

io.on("connection", (socket) => {
  const rooms = String(socket.handshake.query.conversations ?? "").split(",").filter(Boolean);
  void socket.join(rooms.map((c) => `conversation:${c}`));
  socket.on("message:send", (payload: { id: string; conversationId: string; body: string }, ack?: (r: unknown) => void) => {
    const seq = (seqs.get(payload.conversationId) ?? 0) + 1;
    seqs.set(payload.conversationId, seq);
    const message = { id: payload.id, conversationId: payload.conversationId, seq, body: payload.body, createdAt: new Date() };
    io.to(`conversation:${payload.conversationId}`).emit("event", { type: "message.created", conversationId: payload.conversationId, message });
    ack?.({ ok: true, message, duplicate: false });
  });
});

http.listen(0, () => console.log(`listening on ${(http.address() as AddressInfo).port}`));
process.on("SIGTERM", () => {
  void io.close(() => process.exit(0));
});
