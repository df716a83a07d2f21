/**
 * The server side of the plans benchmark, in a process of its own so its memory and
 * CPU can be measured: `laget` is the real server (auth, decide(), persistence,
 * projection, audit) over a fresh database; `bare` is Hocuspocus alone on the same
 * `ws` integration, with no auth and no persistence. Prints one JSON line when ready.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Hocuspocus } from "@hocuspocus/server";
import { WebSocketServer } from "ws";
import { parseConfig } from "../../server/src/config.ts";
import { createLogger } from "../../server/src/log.ts";
import { startServer } from "../../server/src/server.ts";
import { createTestDb } from "../../server/src/testing/test-db.ts";

const mode = process.argv[2] ?? "laget";

if (mode === "bare") {
  const hocuspocus = new Hocuspocus({ quiet: true });
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer((_req, res) => res.end());
  server.on("upgrade", (request, socket, head) => {
    wss.handleUpgrade(request, socket, head, (ws) => {
      const connection = hocuspocus.handleConnection(ws, new Request(`http://${request.headers.host}${request.url}`, { headers: request.headers as Record<string, string> }));
      ws.on("message", (data: Buffer) => connection.handleMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
      ws.on("close", (code, reason) => connection.handleClose({ code, reason: reason.toString() }));
    });
  });
  server.listen(0, () => process.stdout.write(`${JSON.stringify({ url: `http://localhost:${(server.address() as AddressInfo).port}` })}\n`));
} else {
  const testDb = await createTestDb(process.env.DATABASE_URL ? "postgres" : "pglite");
  const running = await startServer({
    config: parseConfig({ NODE_ENV: "test", PORT: "0", LAGET_DEMO: "on" }),
    log: createLogger("warn"),
    db: testDb.db,
  });
  process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
  process.once("SIGTERM", () => void running.close().then(() => testDb.close()).then(() => process.exit(0)));
}
