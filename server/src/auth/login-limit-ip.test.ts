import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { HttpClient } from "../testing/http-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { MAX_FAILED_PER_IP } from "./login.ts";

// A server of its own: once its address is blocked, nothing else from 127.0.0.1 gets in.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

test("many failures from one address across accounts block that address", async () => {
  const client = new HttpClient(server.url);
  expect((await client.login("leder@demo.laget.no", DEMO_PASSWORD)).ok).toBe(true);
  // Spread over accounts so that no single account reaches its own limit.
  for (let i = 0; i < MAX_FAILED_PER_IP; i++) await client.login(`guess-${i % 5}@demo.laget.no`, "wrong-password");
  const blocked = await client.login("leder@demo.laget.no", DEMO_PASSWORD);
  expect(!blocked.ok && blocked.error.data.appCode).toBe("TOO_MANY_ATTEMPTS");
});
