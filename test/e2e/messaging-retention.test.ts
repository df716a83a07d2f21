import { randomUUID } from "node:crypto";
import { expect, test } from "vitest";
import { DEMO_PASSWORD } from "../../server/src/demo/seed.ts";
import { pruneUserEvents } from "../../server/src/events/retention.ts";
import { signedIn as signedInHttp } from "../../server/src/testing/http-client.ts";
import { startServerOn } from "../../server/src/testing/test-server.ts";
import { browserSuite } from "../support/browser.ts";

const suite = browserSuite();

test("a browser whose missed events were pruned while it was away fetches its views again and goes on live", async () => {
  const leader = await signedInHttp(suite.server.url, "leder@demo.laget.no", DEMO_PASSWORD);
  const directory = await leader.queryOk<{ id: string; displayName: string }[]>("users.directory");
  const kari = directory.find((p) => p.displayName === "Kari Koordinator")!;
  const { id: conversationId } = await leader.mutationOk<{ id: string }>("conversations.direct", { userId: kari.id });
  const sent = await leader.mutationOk<{ message: { id: string } }>("messages.send", { id: randomUUID(), conversationId, body: "Før pausen." });

  const { page } = await suite.signedIn("koordinator@demo.laget.no");
  const thread = page.getByRole("region", { name: "Meldinger i samtalen" });
  const messageItem = (text: string) => thread.getByRole("listitem").filter({ hasText: text });
  await page.goto(`${suite.server.url}/meldinger/${conversationId}`);
  await messageItem("Før pausen.").waitFor();

  // While the browser is cut off, another node edits and writes; then every event is pruned.
  await suite.stopServer();
  await page.getByText("Mistet forbindelsen.", { exact: false }).waitFor();
  const other = await startServerOn(suite.server.testDb);
  const viaOther = await signedInHttp(other.url, "leder@demo.laget.no", DEMO_PASSWORD);
  await viaOther.mutationOk("messages.edit", { messageId: sent.message.id, body: "Før pausen, endret." });
  for (const body of ["Mens du var borte 1.", "Mens du var borte 2."]) {
    await viaOther.mutationOk("messages.send", { id: randomUUID(), conversationId, body });
  }
  const nav = await signedInHttp(other.url, "nav@demo.laget.no", DEMO_PASSWORD);
  const { id: fromNav } = await nav.mutationOk<{ id: string }>("conversations.direct", { userId: kari.id });
  await nav.mutationOk("messages.send", { id: randomUUID(), conversationId: fromNav, body: "Hei fra NAV." });
  await other.close();
  // As the retention job would after 30 days away.
  expect(await pruneUserEvents(suite.server.testDb.db, new Date(Date.now() + 31 * 24 * 60 * 60 * 1000))).toBeGreaterThan(0);
  const restarted = await suite.restartServer();

  // The reset: the open thread and the conversation list are fetched again, each message once.
  await messageItem("Mens du var borte 2.").waitFor({ timeout: 20_000 });
  await messageItem("Før pausen, endret.").waitFor();
  expect(await messageItem("Mens du var borte 1.").count()).toBe(1);
  expect(await thread.getByRole("listitem").count()).toBe(3);
  await page.getByRole("region", { name: "Samtaler" }).getByRole("link", { name: /Nils Veileder/ }).getByText("1 ulest", { exact: true }).waitFor();
  await expect.poll(() => page.getByText("Mistet forbindelsen.", { exact: false }).count()).toBe(0);

  // And live from where the reset left it: no gap held back, nothing twice.
  const viaRestarted = await signedInHttp(restarted.url, "leder@demo.laget.no", DEMO_PASSWORD);
  await viaRestarted.mutationOk("messages.send", { id: randomUUID(), conversationId, body: "Etter pausen." });
  await messageItem("Etter pausen.").waitFor();
  expect(await thread.getByRole("listitem").count()).toBe(4);
});
