import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { connectLive } from "../testing/live-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";

// A small bucket that does not refill during the test, so the counts are exact.
const BURST = 5;
let server: TestServer;
let coordinator: HttpClient;
let conversationId: string;
beforeAll(async () => {
  server = await startTestServer({ socketLimits: { messages: { burst: BURST, perSecond: 0.0001 } } });
  coordinator = await signedIn(server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  const units = await unitIdsByName(coordinator);
  const { caseId } = await createChildCase(coordinator, units["Fjellheim skole"]!);
  conversationId = (await coordinator.mutationOk<{ id: string }>("conversations.ofCase", { caseId })).id;
});
afterAll(() => server?.stop());

test("messages.send over HTTP has the socket's rate limit, and both take from one bucket per user", async () => {
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) => coordinator.mutation("messages.send", { id: randomUUID(), conversationId, body: `melding ${i}` })),
  );
  expect(results.filter((r) => r.ok)).toHaveLength(BURST);
  const refused = results.filter((r) => !r.ok);
  expect(refused).toHaveLength(20 - BURST);
  for (const r of refused) {
    expect(r.status).toBe(429);
    expect(!r.ok && r.error.data.appCode).toBe("RATE_LIMITED");
  }
  const stored = await server.db.selectFrom("messages").select("id").where("conversation_id", "=", conversationId).execute();
  expect(stored).toHaveLength(BURST);

  // The bucket HTTP emptied is the one the socket uses.
  const live = await connectLive(server.url, coordinator.cookie!);
  try {
    const ack = await live.request("message:send", { id: randomUUID(), conversationId, body: "over the socket" });
    expect(!ack.ok && ack.error.code).toBe("RATE_LIMITED");
  } finally {
    live.close();
  }
});
