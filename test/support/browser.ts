import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { signInThroughLoginPage } from "./login-page.ts";
import { DEMO_PASSWORD } from "../../server/src/demo/seed.ts";
import type { RunningServer } from "../../server/src/server.ts";
import { startServerOn, startTestServer, type TestServer, type TestServerOptions } from "../../server/src/testing/test-server.ts";

/**
 * What the Content-Security-Policy watch found in every page this test file opened: a
 * `securitypolicyviolation` the page reported, or an HTML document that came without a
 * CSP header. The browser project's setup (security-policy-setup.ts) fails the test in
 * which one appears.
 */
export const securityPolicyFindings: string[] = [];

const CSP_REPORT_BINDING = "__lagetReportCspViolation";

async function watchSecurityPolicy(context: BrowserContext): Promise<void> {
  await context.exposeBinding(CSP_REPORT_BINDING, ({ page }, report: string) => {
    securityPolicyFindings.push(`${page.url()}: ${report}`);
  });
  // An init script runs before the page's own scripts and is not subject to its CSP.
  await context.addInitScript((binding) => {
    document.addEventListener(
      "securitypolicyviolation",
      (e) => {
        const report = (window as unknown as Record<string, (text: string) => void>)[binding];
        report?.(`${e.effectiveDirective} refused ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
      },
      true,
    );
  }, CSP_REPORT_BINDING);
  context.on("response", (response) => {
    const isHtml = /text\/html/.test(response.headers()["content-type"] ?? "");
    if (response.request().resourceType() === "document" && isHtml && !response.headers()["content-security-policy"]) {
      securityPolicyFindings.push(`${response.url()}: an HTML document without a Content-Security-Policy header`);
    }
  });
}

/**
 * Debian's Chromium, never a downloaded browser; the flags keep it off the closed network.
 * Every context it opens (newPage opens one too) is watched for CSP violations.
 */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await watchSecurityPolicy(context);
    return context;
  };
  return browser;
}

/** Every page a browser test visits: no serious or critical axe-core violations (WCAG 2.1 AA). */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious, `accessibility violations on ${where}`).toEqual([]);
}

/** Signs a person in through the login page, in a browser context of their own (own cookies, own sockets). */
export async function signInInNewContext(
  browser: Browser,
  baseUrl: string,
  email: string,
  password: string,
  viewport = { width: 1280, height: 900 },
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({ viewport, locale: "nb-NO" });
  const page = await context.newPage();
  await signInThroughLoginPage(page, { baseUrl, email, password });
  await page.locator("main h1").first().waitFor();
  return { page, context };
}

export type BrowserSuite = {
  /** The server as first started; after `restartServer` its url, port and database still hold. */
  readonly server: TestServer;
  readonly browser: Browser;
  /** A demo user signed in through the login page, in a browser context of their own. */
  signedIn(email: string, viewport?: { width: number; height: number }): Promise<{ page: Page; context: BrowserContext }>;
  /** Stops the server (its database stays): browsers see it go away. */
  stopServer(): Promise<void>;
  /** Starts the server again on the same port and database; it is stopped after the file's tests. */
  restartServer(): Promise<RunningServer>;
};

/**
 * A test file's own server (its own database) and browser: started before its tests,
 * stopped after them. Call once at the top level of the file.
 */
export function browserSuite(serverOptions: TestServerOptions = {}): BrowserSuite {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  /** What is listening now: the first server, a restarted one, or nothing. */
  let running: RunningServer | null = null;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(serverOptions), launchBrowser()]);
    running = server;
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
    await server?.testDb.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("browserSuite: used before its beforeAll ran");
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get browser() {
      return started(browser);
    },
    signedIn: (email, viewport) => signInInNewContext(started(browser), started(server).url, email, DEMO_PASSWORD, viewport),
    async stopServer() {
      const current = running;
      running = null;
      await current?.close();
    },
    async restartServer() {
      if (running) throw new Error("browserSuite: stop the server before restarting it");
      const first = started(server);
      running = await startServerOn(first.testDb, { ...serverOptions, port: first.port });
      return running;
    },
  };
}
