import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer, type TestServer } from "../testing/test-server.ts";

/** A state-changing request with exactly these headers (node:http, so Host can be anything). */
function post(url: string, headers: Record<string, string>): Promise<number> {
  const u = new URL("/trpc/auth.logout", url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path: u.pathname, method: "POST", headers: { "content-type": "application/json", ...headers } },
      (res) => {
        res.resume();
        resolve(res.statusCode!);
      },
    );
    req.on("error", reject);
    req.end("{}");
  });
}

/** The socket.io handshake (polling), as far as its Origin check. */
async function handshake(url: string, origin: string): Promise<number> {
  const res = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
  await res.text();
  return res.status;
}

// 403 is the Origin check refusing; 401 means it let the request through (to tRPC, which wants a session).
describe("default public origin http://localhost:PORT", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  test("only the exact origin passes: another scheme, host or port on the same server is refused", async () => {
    const port = server.port;
    expect(await post(server.url, { origin: `http://localhost:${port}` })).toBe(401);
    expect(await post(server.url, { origin: `https://localhost:${port}` })).toBe(403);
    expect(await post(server.url, { origin: `http://127.0.0.1:${port}` })).toBe(403);
    expect(await post(server.url, { origin: `http://localhost:${port + 1}` })).toBe(403);
    expect(await post(server.url, { origin: "null" })).toBe(403);
    expect(await post(server.url, {})).toBe(403);
  });

  test("the Host header is not trusted: a forged Host matching a forged Origin is refused", async () => {
    expect(await post(server.url, { host: "evil.example", origin: "http://evil.example" })).toBe(403);
    expect(await post(server.url, { host: `localhost:${server.port}`, origin: `https://localhost:${server.port}` })).toBe(403);
  });

  test("the socket.io handshake applies the same rule", async () => {
    expect(await handshake(server.url, server.url)).toBe(200);
    expect(await handshake(server.url, `https://localhost:${server.port}`)).toBe(403);
  });
});

describe("PUBLIC_URL behind a proxy", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ publicUrl: "https://laget.kommune.example" });
  });
  afterAll(() => server?.stop());

  test("the configured origin passes whatever the Host, and the server's own address no longer does", async () => {
    expect(await post(server.url, { origin: "https://laget.kommune.example" })).toBe(401);
    expect(await post(server.url, { origin: "http://laget.kommune.example" })).toBe(403);
    expect(await post(server.url, { origin: server.url })).toBe(403);
    expect(await handshake(server.url, "https://laget.kommune.example")).toBe(200);
    expect(await handshake(server.url, server.url)).toBe(403);
  });
});
