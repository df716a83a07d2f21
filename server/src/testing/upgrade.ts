import { request } from "node:http";

export type UpgradeAnswer = { status: number; body: string };

/**
 * A real WebSocket upgrade request (Node's fetch cannot upgrade, so a refusal could
 * not be told from fetch's own failure): 101 when the server switches protocols,
 * otherwise the status and body it answered with.
 */
export function upgrade(baseUrl: string, path: string, headers: Record<string, string>): Promise<UpgradeAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, baseUrl), {
      headers: {
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
        "sec-websocket-version": "13",
        ...headers,
      },
    });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, body: "" });
    });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}
