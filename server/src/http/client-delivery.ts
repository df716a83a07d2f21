import { existsSync } from "node:fs";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono, type Context } from "hono";
import { etag } from "hono/etag";
import type { ClientBuild } from "./client-build.ts";

/** Hashed build output: its name changes with its content, so it may be kept for a year. */
const IMMUTABLE = "public, max-age=31536000, immutable";
/** robots.txt, the icons and the manifest keep their names across builds. */
const STABLE = "public, max-age=86400";
/** index.html names the current assets: always revalidated (ETag), so a deploy shows at once. */
const REVALIDATE = "no-cache";

const NOT_BUILT = "<!doctype html><title>Laget</title><p>The web client is not built: run <code>pnpm build</code>.</p>";

function notFound(c: Context) {
  return c.text("Not found", 404, { "cache-control": "no-store" });
}

/**
 * The built web client, as a public-sector site serves it: every file pre-compressed at
 * build time (brotli or gzip by Accept-Encoding, always `Vary: Accept-Encoding`), hashed
 * assets cached for good, index.html revalidated, source maps never served, and the
 * client-side routes answered with index.html. A path that looks like a file (has an
 * extension) and is not in the build gets a 404, not the app's page.
 */
export function clientDelivery(client: ClientBuild) {
  const app = new Hono();
  const served = (cacheControl: string) =>
    serveStatic({
      root: client.dist,
      precompressed: true,
      onFound: (_path, c) => {
        c.header("Cache-Control", cacheControl);
        if (!c.res.headers.get("Vary")) c.header("Vary", "Accept-Encoding");
      },
    });

  // Source maps stay beside the build for debugging; browsers never get them.
  app.get("*", async (c, next) => (c.req.path.endsWith(".map") ? notFound(c) : next()));
  app.use("/assets/*", served(IMMUTABLE));
  app.get("/assets/*", notFound);

  const indexHtml = serveStatic({
    root: client.dist,
    path: "index.html",
    precompressed: true,
    onFound: (_path, c) => {
      c.header("Cache-Control", REVALIDATE);
      c.header("Vary", "Accept-Encoding");
    },
  });
  const spa = async (c: Context, next: () => Promise<void>) => {
    if (!existsSync(client.indexHtml)) return c.html(NOT_BUILT, 503, { "cache-control": "no-store" });
    return indexHtml(c, next);
  };
  app.get("/", etag(), spa);
  app.get("/index.html", etag(), spa);
  app.use("*", served(STABLE));
  app.get("*", etag(), async (c, next) => (/\.[a-z0-9]+$/i.test(c.req.path) ? notFound(c) : spa(c, next)));
  return app;
}
