import { describe, expect, test } from "vitest";
import { ConfigError, parseConfig } from "./config.ts";

describe("parseConfig", () => {
  test("defaults: port 3000, embedded database under ./data, demo on outside production", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ port: 3000, databaseUrl: undefined, dataDir: "./data", demo: true, secureCookies: false });
    expect(parseConfig({ NODE_ENV: "production" })).toMatchObject({ demo: false, secureCookies: true });
    expect(parseConfig({ NODE_ENV: "production", LAGET_DEMO: "on" }).demo).toBe(true);
  });

  test("PUBLIC_URL is kept as the origin a browser sends (default port left out)", () => {
    expect(parseConfig({}).publicOrigin).toBeUndefined();
    expect(parseConfig({ PUBLIC_URL: "https://Laget.Kommune.no:443/" }).publicOrigin).toBe("https://laget.kommune.no");
    expect(parseConfig({ PUBLIC_URL: "http://localhost:8080" }).publicOrigin).toBe("http://localhost:8080");
  });

  test("empty variables count as unset", () => {
    expect(parseConfig({ DATABASE_URL: "", PORT: "" })).toMatchObject({ databaseUrl: undefined, port: 3000 });
  });

  test.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ REDIS_URL: "localhost:6379" }, "REDIS_URL"],
    [{ LAGET_DEMO: "maybe" }, "LAGET_DEMO"],
    [{ NODE_ENV: "staging" }, "NODE_ENV"],
    [{ PUBLIC_URL: "laget.kommune.no" }, "PUBLIC_URL"],
    [{ PUBLIC_URL: "ftp://laget.kommune.no" }, "PUBLIC_URL"],
    [{ PUBLIC_URL: "https://laget.kommune.no/app" }, "PUBLIC_URL"],
  ])("a bad value gives a one-line error naming the variable: %o", (env, variable) => {
    const error = (() => {
      try {
        parseConfig(env);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(variable);
    expect(message).not.toContain("\n");
  });
});
