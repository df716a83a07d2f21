import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { consentTerms, createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import { signedIn } from "../testing/http-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { createLogger } from "../log.ts";
import { createClient } from "redis";
import { accessChanged, createEventBus, type AccessChanged } from "./bus.ts";

const redisUrl = process.env.REDIS_URL;

test("without Redis, subscribers in the process get every event, and can unsubscribe", async () => {
  const bus = await createEventBus({ log: createLogger("silent") });
  const seen: string[] = [];
  const off = bus.subscribe((e) => e.type === "accessChanged" && seen.push(e.caseId));
  await bus.publish({ type: "accessChanged", caseId: "a", municipalityId: "m", reason: "case_closed", unitIds: [], at: "" });
  off();
  await bus.publish({ type: "accessChanged", caseId: "b", municipalityId: "m", reason: "case_closed", unitIds: [], at: "" });
  expect(seen).toEqual(["a"]);
  await bus.close();
});

test("a publish resolves only once every listener has finished, async ones included", async () => {
  const bus = await createEventBus({ log: createLogger("silent") });
  const done: string[] = [];
  bus.subscribe(async () => {
    await new Promise((r) => setTimeout(r, 20));
    done.push("slow");
  });
  bus.subscribe(() => done.push("fast"));
  await bus.publish(accessChanged("a", "m", "consent_withdrawn"));
  expect(done.sort()).toEqual(["fast", "slow"]);
  await bus.close();
});

describe.runIf(redisUrl)("between nodes: a publish waits for every node's acknowledgement", () => {
  const log = createLogger("silent");

  test("it resolves after the other node's listeners have finished", async () => {
    const [a, b] = await Promise.all([createEventBus({ redisUrl, log }), createEventBus({ redisUrl, log })]);
    try {
      let handledOnB = false;
      let release!: () => void;
      let entered!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const onB = new Promise<void>((r) => (entered = r));
      b.subscribe(async (e) => {
        if (e.type !== "accessChanged" || e.caseId !== "acked") return;
        entered();
        await gate;
        handledOnB = true;
      });
      let returned = false;
      const published = a.publish(accessChanged("acked", "m", "consent_withdrawn")).then(() => (returned = true));
      // Node B holds the event: the publish on node A is still waiting. Released, it returns.
      await onB;
      expect(returned).toBe(false);
      release();
      await published;
      expect(handledOnB).toBe(true);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test("a receiver that never acknowledges delays a publish only up to the timeout", async () => {
    const bus = await createEventBus({ redisUrl, log, ackTimeoutMs: 200 });
    const mute = createClient({ url: redisUrl });
    await mute.connect();
    await mute.subscribe("laget:events", () => {});
    try {
      const started = Date.now();
      await bus.publish(accessChanged("mute", "m", "consent_withdrawn"));
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    } finally {
      await mute.quit();
      await bus.close();
    }
  });
});

describe.runIf(redisUrl)("across server processes, through Redis", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ redisUrl });
  });
  afterAll(() => server?.stop());

  test("a consent withdrawal on this server reaches a subscriber in another process", async () => {
    const root = path.resolve(import.meta.dirname, "../../..");
    const child = spawn(process.execPath, ["server/src/testing/bus-subscriber.ts"], {
      cwd: root,
      env: { ...process.env, REDIS_URL: redisUrl },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    const received = new Promise<AccessChanged>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no event within 20 s: ${output}`)), 20_000);
      child.stdout!.on("data", (d) => {
        output += d;
        // Only whole lines: a chunk may end inside one (other test files share this Redis).
        for (const line of output.split("\n").slice(0, -1)) {
          if (!line.startsWith("{")) continue;
          const event = JSON.parse(line) as AccessChanged;
          if (event.reason === "consent_withdrawn") {
            clearTimeout(timer);
            resolve(event);
          }
        }
      });
    });
    try {
      // Subscribed before anything is published.
      await new Promise<void>((resolve) => child.stdout!.on("data", () => output.includes("ready") && resolve()));
      const teacher = await signedIn(server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
      const units = await unitIdsByName(teacher);
      const { caseId, subjectId } = await createChildCase(teacher, units["Fjellheim skole"]!);
      const { consentId } = await teacher.mutationOk<{ consentId: string }>("consents.create", {
        caseId,
        ...consentTerms(subjectId, [units["Helsestasjonen"]!]),
      });
      await teacher.mutationOk("consents.activate", { consentId });
      await teacher.mutationOk("consents.withdraw", { consentId, reason: "Trukket" });
      const event = await received;
      expect(event).toMatchObject({ type: "accessChanged", caseId, reason: "consent_withdrawn", unitIds: [units["Helsestasjonen"]] });
    } finally {
      child.kill("SIGTERM");
    }
  });
});
