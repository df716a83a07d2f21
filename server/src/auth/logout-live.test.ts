import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { connectPlan, eventually } from "../plans/test-client.ts";
import { consentTerms, createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import { signedIn } from "../testing/http-client.ts";
import { connectLive } from "../testing/live-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";

// Ending a session ends what was opened with it: the socket.io connection and the live
// plan connections close at once, not at their next periodic check.
let server: TestServer;
let caseId: string;
beforeAll(async () => {
  server = await startTestServer();
  const teacher = await signedIn(server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
  const units = await unitIdsByName(teacher);
  const created = await createChildCase(teacher, units["Fjellheim skole"]!);
  caseId = created.caseId;
  const { consentId } = await teacher.mutationOk<{ consentId: string }>("consents.create", {
    caseId,
    ...consentTerms(created.subjectId, [units["Helsestasjonen"]!]),
  });
  await teacher.mutationOk("consents.activate", { consentId });
});
afterAll(() => server?.stop());

test("logout closes that session's socket and plan connection, and leaves the user's other session open", async () => {
  const laptop = await signedIn(server.url, "helsesykepleier@demo.laget.no", DEMO_PASSWORD);
  const phone = await signedIn(server.url, "helsesykepleier@demo.laget.no", DEMO_PASSWORD);
  const [laptopSocket, phoneSocket] = await Promise.all([connectLive(server.url, laptop.cookie!), connectLive(server.url, phone.cookie!)]);
  const laptopPlan = connectPlan(server.url, laptop.cookie!, caseId);
  const phonePlan = connectPlan(server.url, phone.cookie!, caseId);
  await Promise.all([laptopPlan.ready, phonePlan.ready]);
  try {
    await laptop.mutationOk("auth.logout");
    await eventually(() => expect(laptopSocket.socket.connected).toBe(false));
    await eventually(() => expect(laptopPlan.closeReasons).toContain("access-revoked"));
    expect(phoneSocket.socket.connected).toBe(true);
    expect(phonePlan.closeReasons).toEqual([]);

    await phone.mutationOk("auth.logoutEverywhere");
    await eventually(() => expect(phoneSocket.socket.connected).toBe(false));
    await eventually(() => expect(phonePlan.closeReasons).toContain("access-revoked"));
  } finally {
    for (const c of [laptopSocket, phoneSocket]) c.close();
    for (const p of [laptopPlan, phonePlan]) p.destroy();
  }
});
