import { afterEach, expect, test } from "vitest";
import { HttpClient } from "../testing/http-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { MAX_FAILED_PER_ACCOUNT, MAX_FAILED_PER_IP } from "./login.ts";

// Each test has a server of its own: a blocked address blocks everything from 127.0.0.1.
let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** Fires every login at once, over HTTP, and counts the answers by app code. */
async function parallelLogins(url: string, emails: string[]): Promise<Record<string, number>> {
  const results = await Promise.all(emails.map((email, i) => new HttpClient(url).login(email, `wrong-password-${i}`)));
  const counts: Record<string, number> = {};
  for (const r of results) {
    const code = r.ok ? "OK" : (r.error.data.appCode ?? String(r.status));
    counts[code] = (counts[code] ?? 0) + 1;
  }
  return counts;
}

test("25 wrong passwords at once for one account: at most 10 are checked, the rest are refused unchecked", async () => {
  server = await startTestServer();
  const email = "helsesykepleier@demo.laget.no";
  const counts = await parallelLogins(server.url, Array.from({ length: 25 }, () => email));
  expect(counts).toEqual({ INVALID_CREDENTIALS: MAX_FAILED_PER_ACCOUNT, TOO_MANY_ATTEMPTS: 25 - MAX_FAILED_PER_ACCOUNT });
  const failed = await server.db.selectFrom("auth_events").select("kind").where("email", "=", email).where("kind", "=", "login_failed").execute();
  expect(failed).toHaveLength(MAX_FAILED_PER_ACCOUNT);
});

test("60 wrong passwords at once from one address across accounts: at most 30 are checked", async () => {
  server = await startTestServer();
  // Ten accounts, six guesses each: no account reaches its own limit, only the address does.
  const emails = Array.from({ length: 60 }, (_, i) => `guess-${i % 10}@demo.laget.no`);
  const counts = await parallelLogins(server.url, emails);
  expect(counts).toEqual({ INVALID_CREDENTIALS: MAX_FAILED_PER_IP, TOO_MANY_ATTEMPTS: 60 - MAX_FAILED_PER_IP });
});
