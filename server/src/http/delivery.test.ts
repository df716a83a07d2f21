import { createHash } from "node:crypto";
import { request } from "node:http";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { styleSources } from "./client-build.ts";

// A build of our own, so each header rule is checked on a known file (test/e2e/delivery.test.ts checks the real build).
const CRITICAL_CSS = "body{margin:0;font-family:system-ui}";
const INDEX_HTML = `<!doctype html><html lang="nb"><head><style>${CRITICAL_CSS}</style><script type="module" src="/assets/index-Ab12Cd34.js"></script></head><body><div id="root"></div></body></html>`;
const BUNDLE = `console.log(${JSON.stringify("Laget ".repeat(400))});`;

let dist: string;
let server: TestServer;

beforeAll(async () => {
  dist = await mkdtemp(path.join(tmpdir(), "laget-dist-"));
  await mkdir(path.join(dist, "assets"));
  const withVariants = async (file: string, content: string) => {
    await writeFile(path.join(dist, file), content);
    await writeFile(path.join(dist, `${file}.br`), brotliCompressSync(content));
    await writeFile(path.join(dist, `${file}.gz`), gzipSync(content));
  };
  await withVariants("index.html", INDEX_HTML);
  await withVariants("assets/index-Ab12Cd34.js", BUNDLE);
  await writeFile(path.join(dist, "assets/index-Ab12Cd34.js.map"), '{"version":3,"sources":["secret.ts"]}');
  await withVariants("robots.txt", "User-agent: *\nDisallow: /\n");
  server = await startTestServer({ clientDist: dist, demo: false });
});

afterAll(async () => {
  await server?.stop();
  await rm(dist, { recursive: true, force: true });
});

const get = (pathname: string, headers: Record<string, string> = {}) => fetch(`${server.url}${pathname}`, { headers });

describe("the built client is delivered compressed and cached by kind", () => {
  // fetch() decodes what it is sent, so encoded bodies are read with rawGet.
  it("a hashed asset comes as brotli or gzip by Accept-Encoding, with Vary, and is cached for a year", async () => {
    for (const [encoding, decode] of [["br", brotliDecompressSync], ["gzip", gunzipSync]] as const) {
      const res = await rawGet(`/assets/index-Ab12Cd34.js`, encoding);
      expect(res.headers["content-encoding"], encoding).toBe(encoding);
      expect(res.headers["vary"]).toMatch(/accept-encoding/i);
      expect(res.headers["content-type"]).toMatch(/javascript/);
      expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(decode(res.body).toString()).toBe(BUNDLE);
    }
    const plain = await rawGet(`/assets/index-Ab12Cd34.js`, "identity");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers["vary"]).toMatch(/accept-encoding/i);
    expect(plain.body.toString()).toBe(BUNDLE);
  });

  it("index.html, for / and for every client-side route, is revalidated (no-cache with an ETag) and answers 304 when unchanged", async () => {
    for (const route of ["/", "/saker", "/saker/3f0c9a1e-0000-4000-8000-000000000000/plan"]) {
      const res = await get(route);
      expect(res.status, route).toBe(200);
      expect(res.headers.get("content-type"), route).toMatch(/text\/html/);
      expect(res.headers.get("cache-control"), route).toBe("no-cache");
      expect(await res.text()).toBe(INDEX_HTML);
    }
    const first = await get("/saker", { "accept-encoding": "br" });
    const tag = first.headers.get("etag");
    expect(tag).toBeTruthy();
    const again = await get("/saker", { "accept-encoding": "br", "if-none-match": tag! });
    expect(again.status).toBe(304);
    expect(again.headers.get("cache-control")).toBe("no-cache");
  });

  it("source maps are never served, and a missing file is a 404, not the app's page", async () => {
    const map = await get("/assets/index-Ab12Cd34.js.map");
    expect(map.status).toBe(404);
    expect(await map.text()).not.toContain("secret.ts");
    for (const missing of ["/assets/gone-123.js", "/favicon.png", "/wp-login.php"]) {
      const res = await get(missing);
      expect(res.status, missing).toBe(404);
      expect(res.headers.get("content-type") ?? "", missing).not.toMatch(/html/);
    }
    const robots = await get("/robots.txt");
    expect(robots.headers.get("content-type")).toMatch(/text\/plain/);
    expect(await robots.text()).toContain("Disallow: /");
  });

  it("API responses are not stored (personal data), and a large JSON answer is compressed", async () => {
    const me = await get("/trpc/auth.me");
    expect(me.headers.get("cache-control")).toBe("no-store");
    const unknown = await get("/api/finnes-ikke");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toMatch(/json/);
    expect(unknown.headers.get("cache-control")).toBe("no-store");
    // A batch of many calls makes a large JSON body.
    const batch = Array.from({ length: 40 }, () => "auth.me").join(",");
    const large = await rawGet(`/trpc/${batch}?batch=1&input=${encodeURIComponent(JSON.stringify({}))}`, "gzip");
    expect(large.headers["content-encoding"]).toBe("gzip");
    expect(large.headers["cache-control"]).toBe("no-store");
    expect(JSON.parse(gunzipSync(large.body).toString())).toHaveLength(40);
  });
});

describe("every response carries a strict Content-Security-Policy and a Permissions-Policy", () => {
  it("HTML: scripts only from here, the inline critical CSS allowed by its hash, never framed", async () => {
    const res = await get("/saker");
    const csp = res.headers.get("content-security-policy") ?? "";
    const directives = new Map(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives.get("default-src")).toEqual(["'self'"]);
    expect(directives.get("script-src")).toEqual(["'self'"]);
    expect(directives.get("style-src")).toEqual(["'self'", ...styleSources(INDEX_HTML)]);
    expect(directives.get("connect-src")).toEqual(["'self'", server.url.replace(/^http/, "ws")]);
    expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
    expect(directives.get("base-uri")).toEqual(["'none'"]);
    expect(directives.get("form-action")).toEqual(["'self'"]);
    expect(directives.get("object-src")).toEqual(["'none'"]);
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(res.headers.get("permissions-policy")).toMatch(/camera=\(\).*geolocation=\(\).*microphone=\(\)/);
  });

  it("the style hash is the SHA-256 of the inline CSS exactly", () => {
    // CSP hashes are over the element's text, base64 (CSP3 §8.4).
    expect(styleSources(INDEX_HTML)).toEqual([`'sha256-${createHash("sha256").update(CRITICAL_CSS).digest("base64")}'`]);
  });

  it("non-HTML responses carry it too", async () => {
    for (const pathname of ["/assets/index-Ab12Cd34.js", "/trpc/auth.me", "/health", "/assets/index-Ab12Cd34.js.map"]) {
      const res = await get(pathname);
      expect(res.headers.get("content-security-policy"), pathname).toContain("default-src 'self'");
    }
  });
});

/** A GET whose body is returned as sent (fetch would decode it). */
function rawGet(pathname: string, acceptEncoding: string): Promise<{ status: number; headers: Record<string, string | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${pathname}`, { headers: { "accept-encoding": acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string | undefined>, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}
