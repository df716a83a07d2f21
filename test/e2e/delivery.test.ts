import { existsSync } from "node:fs";
import { request } from "node:http";
import path from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { browserSuite } from "../support/browser.ts";

// The real build (`pnpm build`), as a browser on a phone gets it: compressed, cached by kind, a site's small things in place.
const suite = browserSuite();

type Raw = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

/** A GET whose body is returned as sent (fetch would decode it). */
function rawGet(pathname: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${suite.server.url}${pathname}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function indexHtml(): Promise<string> {
  return (await rawGet("/login")).body.toString("utf8");
}

describe("the built client", () => {
  it("the main bundle comes as brotli and as gzip by Accept-Encoding, with Vary and a year's immutable cache", async () => {
    const entry = /<script type="module"[^>]*src="(\/assets\/[^"]+\.js)"/.exec(await indexHtml())?.[1];
    expect(entry, "index.html names its entry script").toBeTruthy();
    const plain = await rawGet(entry!);
    expect(plain.status).toBe(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    for (const [encoding, decode] of [["br", brotliDecompressSync], ["gzip", gunzipSync]] as const) {
      const res = await rawGet(entry!, { "accept-encoding": encoding === "br" ? "gzip, deflate, br, zstd" : "gzip, deflate" });
      expect(res.headers["content-encoding"], encoding).toBe(encoding);
      expect(res.headers["vary"]).toMatch(/accept-encoding/i);
      expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(res.body.length, `${encoding} is smaller`).toBeLessThan(plain.body.length / 2);
      expect(decode(res.body).equals(plain.body), `${encoding} decodes to the bundle`).toBe(true);
    }
  });

  it("index.html is revalidated, carries the CSP, and its critical CSS is inline (no render-blocking stylesheet)", async () => {
    const res = await rawGet("/saker", { "accept-encoding": "br" });
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(res.headers["etag"]).toBeTruthy();
    expect(String(res.headers["content-security-policy"])).toContain("script-src 'self';");
    const html = brotliDecompressSync(res.body).toString("utf8");
    expect(/<style>([\s\S]*?)<\/style>/.exec(html)?.[1]?.length ?? 0, "inline critical CSS").toBeGreaterThan(1000);
    expect(html).not.toMatch(/<link[^>]+rel="stylesheet"/);
    expect(html).toMatch(/<meta name="description" content="[^"]{20,}"/);
    expect(html).toMatch(/<link rel="manifest" href="\/manifest.webmanifest"/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect((await rawGet("/saker", { "if-none-match": String((await rawGet("/saker")).headers["etag"]) })).status).toBe(304);
  });

  it("API answers are not stored", async () => {
    expect((await rawGet("/trpc/auth.me")).headers["cache-control"]).toBe("no-store");
  });

  it("robots.txt keeps search engines out; favicon, manifest and icons are real files; source maps stay on the server", async () => {
    const robots = await rawGet("/robots.txt");
    expect(robots.headers["content-type"]).toMatch(/text\/plain/);
    expect(robots.body.toString()).toMatch(/User-agent: \*\s+Disallow: \//);
    const favicon = await rawGet("/favicon.ico");
    expect(favicon.headers["content-type"]).toBe("image/x-icon");
    expect(favicon.body.readUInt16LE(2), "an ICO header").toBe(1);
    const manifest = await rawGet("/manifest.webmanifest");
    expect(manifest.headers["content-type"]).toMatch(/manifest\+json/);
    const icons = (JSON.parse(manifest.body.toString()) as { name: string; icons: { src: string }[] });
    expect(icons.name).toBe("Laget");
    for (const icon of icons.icons) expect((await rawGet(icon.src)).status, icon.src).toBe(200);
    const entry = /src="(\/assets\/[^"]+\.js)"/.exec(await indexHtml())?.[1];
    expect(existsSync(path.join(import.meta.dirname, "../../client/dist", `${entry}.map`)), "the map is kept beside the build").toBe(true);
    const map = await rawGet(`${entry}.map`);
    expect(map.status).toBe(404);
    expect((await rawGet(entry!)).body.toString()).not.toContain("sourceMappingURL");
  });
});
