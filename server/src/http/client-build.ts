import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";

/**
 * The built web client in `dist`: its index.html, and the CSP hashes of the inline
 * `<style>` the build puts there (the critical CSS, inlined so it does not block the
 * first paint). Re-read when index.html changes, so a rebuilt client is served without
 * a restart; checked at most once a second, since every response's CSP asks.
 */
export type ClientBuild = {
  readonly dist: string;
  readonly indexHtml: string;
  /** `'sha256-…'` sources for style-src, one per inline `<style>` in index.html. */
  inlineStyleSources(): readonly string[];
};

const INLINE_STYLE = /<style\b[^>]*>([\s\S]*?)<\/style>/gi;

export function styleSources(html: string): string[] {
  return [...html.matchAll(INLINE_STYLE)].map(
    ([, css]) => `'sha256-${createHash("sha256").update(css ?? "", "utf8").digest("base64")}'`,
  );
}

export function clientBuild(dist: string): ClientBuild {
  const indexHtml = path.join(dist, "index.html");
  let checkedAt = 0;
  let mtimeMs = -1;
  let sources: string[] = [];
  return {
    dist,
    indexHtml,
    inlineStyleSources() {
      const now = Date.now();
      if (now - checkedAt < 1000) return sources;
      checkedAt = now;
      try {
        const stat = statSync(indexHtml);
        if (stat.mtimeMs !== mtimeMs) {
          sources = styleSources(readFileSync(indexHtml, "utf8"));
          mtimeMs = stat.mtimeMs;
        }
      } catch {
        sources = []; // Not built: the placeholder page has no inline style.
        mtimeMs = -1;
      }
      return sources;
    },
  };
}
