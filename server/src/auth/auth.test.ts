import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { HttpClient } from "../testing/http-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { MAX_FAILED_PER_ACCOUNT } from "./login.ts";
import { SESSION_ACTIVITY_CHECK_INTERVAL_MS } from "./sessions.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const coordinator = "koordinator@demo.laget.no";

describe("login", () => {
  test("sets an HttpOnly SameSite=Lax session cookie and who-am-I returns the user", async () => {
    const res = await fetch(`${server.url}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url },
      body: JSON.stringify({ json: { email: coordinator, password: DEMO_PASSWORD } }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^laget_session=[\w-]+\.[\w-]+;/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain(`Max-Age=${30 * 24 * 3600}`);

    const client = new HttpClient(server.url);
    client.cookie = cookie.split(";")[0]!;
    const me = await client.query<{ email: string; memberships: { unitName: string; role: string }[] }>("auth.me");
    expect(me.ok && me.data).toMatchObject({ email: coordinator, memberships: [{ unitName: "Fjellheim skole", role: "coordinator" }] });
  });

  test("a session used after its activity interval slides: the same cookie is sent again with a fresh Max-Age", async () => {
    const client = new HttpClient(server.url);
    expect((await client.login(coordinator, DEMO_PASSWORD)).ok).toBe(true);
    const sessionId = client.cookie!.split("=")[1]!.split(".")[0]!;
    const quiet = { headers: { cookie: client.cookie!, origin: server.url } };
    expect((await fetch(`${server.url}/trpc/auth.me`, quiet)).headers.get("set-cookie")).toBeNull();

    const longAgo = new Date(Date.now() - SESSION_ACTIVITY_CHECK_INTERVAL_MS - 60_000);
    await server.testDb.db.updateTable("sessions").set({ last_verified_at: longAgo }).where("id", "=", sessionId).execute();
    const res = await fetch(`${server.url}/trpc/auth.me`, quiet);
    expect(res.status).toBe(200);
    const resent = res.headers.get("set-cookie") ?? "";
    expect(resent.startsWith(`${client.cookie!};`)).toBe(true);
    expect(resent).toContain(`Max-Age=${30 * 24 * 3600}`);
  });

  test("e-mail is matched case-insensitively", async () => {
    const client = new HttpClient(server.url);
    expect((await client.login("Koordinator@Demo.Laget.no", DEMO_PASSWORD)).ok).toBe(true);
  });

  test("a wrong password and an unknown e-mail give the same error, and no session", async () => {
    const client = new HttpClient(server.url);
    const wrong = await client.login("leder@demo.laget.no", "not-the-password");
    const unknown = await client.login("nobody@demo.laget.no", "not-the-password");
    for (const res of [wrong, unknown]) {
      expect(res.ok).toBe(false);
      if (!res.ok) {
        expect(res.status).toBe(401);
        expect(res.error.data.appCode).toBe("INVALID_CREDENTIALS");
      }
    }
    expect(client.cookie).toBeNull();
    const me = await client.query("auth.me");
    expect(me.ok && me.data).toBeNull();
  });

  test("after 10 failures an account is locked for 15 minutes, even with the right password; attempts are logged", async () => {
    const email = "slt@demo.laget.no";
    const client = new HttpClient(server.url);
    for (let i = 0; i < MAX_FAILED_PER_ACCOUNT; i++) await client.login(email, `wrong-${i}`);
    const blocked = await client.login(email, DEMO_PASSWORD);
    expect(blocked.ok).toBe(false);
    if (!blocked.ok) {
      expect(blocked.status).toBe(429);
      expect(blocked.error.data.appCode).toBe("TOO_MANY_ATTEMPTS");
    }
    // Another account is not affected.
    expect((await client.login("nav@demo.laget.no", DEMO_PASSWORD)).ok).toBe(true);

    const events = await server.db.selectFrom("auth_events").select(["kind"]).where("email", "=", email).execute();
    expect(events.filter((e) => e.kind === "login_failed")).toHaveLength(MAX_FAILED_PER_ACCOUNT);
    expect(events.some((e) => e.kind === "login_blocked")).toBe(true);
  });
});

describe("sessions", () => {
  test("logout ends the session on the server, not just the cookie", async () => {
    const client = new HttpClient(server.url);
    await client.login(coordinator, DEMO_PASSWORD);
    const stolen = client.cookie;
    expect((await client.mutation("auth.logout")).ok).toBe(true);
    expect(client.cookie).toBeNull();
    const replay = new HttpClient(server.url);
    replay.cookie = stolen;
    const me = await replay.query("auth.me");
    expect(me.ok && me.data).toBeNull();
  });

  test("logout everywhere ends every session of the user", async () => {
    const laptop = new HttpClient(server.url);
    const phone = new HttpClient(server.url);
    await laptop.login("helsesykepleier@demo.laget.no", DEMO_PASSWORD);
    await phone.login("helsesykepleier@demo.laget.no", DEMO_PASSWORD);
    expect((await laptop.mutation("auth.logoutEverywhere")).ok).toBe(true);
    const me = await phone.query("auth.me");
    expect(me.ok && me.data).toBeNull();
  });

  test("a forged token (right id, wrong secret) is not a session", async () => {
    const client = new HttpClient(server.url);
    await client.login(coordinator, DEMO_PASSWORD);
    const [name, token] = client.cookie!.split("=") as [string, string];
    const forged = new HttpClient(server.url);
    forged.cookie = `${name}=${token.split(".")[0]}.${"A".repeat(43)}`;
    const me = await forged.query("auth.me");
    expect(me.ok && me.data).toBeNull();
  });
});

describe("cross-site requests", () => {
  test("a forged Origin cannot change state", async () => {
    const client = new HttpClient(server.url);
    await client.login("admin@demo.laget.no", DEMO_PASSWORD);
    const before = await server.db.selectFrom("units").select("id").execute();
    const forged = await client.mutation("units.create", { name: "Forged unit", kind: "other" }, { origin: "https://evil.example" });
    expect(forged.ok).toBe(false);
    expect(forged.status).toBe(403);
    const crossSite = await client.mutation("units.create", { name: "Forged unit", kind: "other" }, { "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    const after = await server.db.selectFrom("units").select("id").execute();
    expect(after).toHaveLength(before.length);
  });

  test("a state-changing request without an Origin is refused", async () => {
    const res = await fetch(`${server.url}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { email: coordinator, password: DEMO_PASSWORD } }),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
  });
});

describe("password change", () => {
  test("a user with a one-time password can do nothing but change it; the change keeps this session and ends the others", async () => {
    const admin = new HttpClient(server.url);
    await admin.login("admin@demo.laget.no", DEMO_PASSWORD);
    const units = await admin.query<{ id: string; name: string }[]>("units.list");
    const school = units.ok ? units.data.find((u) => u.name === "Fjellheim skole")! : null;
    const created = await admin.mutation<{ oneTimePassword: string }>("users.create", {
      email: "ny.laerer@demo.laget.no",
      displayName: "Ny Lærer",
      memberships: [{ unitId: school!.id, role: "caseworker" }],
    });
    expect(created.ok).toBe(true);
    const oneTimePassword = created.ok ? created.data.oneTimePassword : "";

    const user = new HttpClient(server.url);
    const other = new HttpClient(server.url);
    expect((await user.login("ny.laerer@demo.laget.no", oneTimePassword)).ok).toBe(true);
    await other.login("ny.laerer@demo.laget.no", oneTimePassword);
    const me = await user.query<{ mustChangePassword: boolean }>("auth.me");
    expect(me.ok && me.data.mustChangePassword).toBe(true);
    const blocked = await user.query("units.list");
    expect(!blocked.ok && blocked.error.data.appCode).toBe("PASSWORD_CHANGE_REQUIRED");

    const wrongCurrent = await user.mutation("auth.changePassword", { currentPassword: "nope-nope-nope", newPassword: "a-long-new-password" });
    expect(!wrongCurrent.ok && wrongCurrent.error.data.appCode).toBe("WRONG_CURRENT_PASSWORD");
    const tooShort = await user.mutation("auth.changePassword", { currentPassword: oneTimePassword, newPassword: "short" });
    expect(!tooShort.ok && tooShort.error.data.fieldErrors?.newPassword).toBeTruthy();
    const same = await user.mutation("auth.changePassword", { currentPassword: oneTimePassword, newPassword: oneTimePassword });
    expect(!same.ok && same.error.data.appCode).toBe("PASSWORD_REUSED");

    expect((await user.mutation("auth.changePassword", { currentPassword: oneTimePassword, newPassword: "a-long-new-password" })).ok).toBe(true);
    expect((await user.query("units.list")).ok).toBe(true);
    const otherMe = await other.query("auth.me");
    expect(otherMe.ok && otherMe.data).toBeNull();
    expect((await new HttpClient(server.url).login("ny.laerer@demo.laget.no", oneTimePassword)).ok).toBe(false);
    expect((await new HttpClient(server.url).login("ny.laerer@demo.laget.no", "a-long-new-password")).ok).toBe(true);
  });
});
