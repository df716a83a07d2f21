import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import type { HtmlTagDescriptor, Plugin } from "vite";
import { checkBudget, formatTable, type ChunkInfo, type Limits, type Routes } from "./budget.ts";

/** Brotli at its best (quality 11, text mode) and gzip at level 9: what the server sends precompressed. */
export function brotli(data: Buffer | string): Buffer {
  const input = typeof data === "string" ? Buffer.from(data) : data;
  return brotliCompressSync(input, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: input.length,
    },
  });
}

export function gzip(data: Buffer | string): Buffer {
  return gzipSync(data, { level: 9 });
}

/**
 * Fails the build when a route's JavaScript is over budget or a lazy chunk belongs to no
 * listed route (budget.ts), and prints every route's figures. Route modules are relative to
 * the Vite root (client/).
 */
export function budget(routes: Routes, limits: Limits, everyRoute: readonly string[] = []): Plugin {
  let root = process.cwd();
  return {
    name: "laget:budget",
    apply: "build",
    configResolved(config) {
      root = config.root;
    },
    generateBundle(_options, bundle) {
      const chunks: ChunkInfo[] = [];
      for (const output of Object.values(bundle)) {
        if (output.type !== "chunk") continue;
        chunks.push({
          fileName: output.fileName,
          isEntry: output.isEntry,
          isDynamicEntry: output.isDynamicEntry,
          imports: output.imports,
          moduleIds: output.moduleIds,
          br: brotli(output.code).length,
          gzip: gzip(output.code).length,
        });
      }
      const absolute = (modules: readonly string[]) => modules.map((m) => resolve(root, m));
      const absoluteRoutes = Object.fromEntries(Object.entries(routes).map(([route, modules]) => [route, absolute(modules)]));
      const report = checkBudget(chunks, absoluteRoutes, limits, absolute(everyRoute));
      this.info(`JavaScript each route loads:\n${formatTable(report.rows)}`);
      if (report.errors.length > 0) this.error(`JavaScript budget:\n${report.errors.join("\n")}`);
    },
  };
}

const compressible = new Set([".js", ".css", ".html", ".svg", ".json", ".webmanifest", ".txt", ".ico"]);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * After Vite has written the build (including what it copied from public/), writes
 * `<file>.br` and `<file>.gz` beside every text file the server may send. Source maps are
 * left alone: nothing references them.
 */
export function precompress(): Plugin {
  let outDir = "dist";
  let failed = false;
  return {
    name: "laget:precompress",
    apply: "build",
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    buildEnd(error) {
      failed = error !== undefined;
    },
    closeBundle() {
      if (failed) return;
      for (const file of filesUnder(outDir)) {
        if (!compressible.has(extname(file))) continue;
        const data = readFileSync(file);
        writeFileSync(`${file}.br`, brotli(data));
        writeFileSync(`${file}.gz`, gzip(data));
      }
    },
  };
}

/**
 * The entry stylesheet inlined into index.html as one <style>, so the first paint waits for
 * no second request. Lazy chunks' stylesheets stay files (Vite links them before the chunk
 * runs). The server hashes each inline <style> for its Content-Security-Policy.
 */
export function inlineEntryCss(): Plugin {
  return {
    name: "laget:inline-entry-css",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        const links = [...html.matchAll(/<link rel="stylesheet"[^>]*href="\/([^"]+\.css)"[^>]*>/g)];
        if (links.length !== 1) throw new Error(`index.html should link one stylesheet, the entry's; it links ${links.length}`);
        const [tag, fileName] = links[0]! as unknown as [string, string];
        const asset = bundle[fileName];
        if (!asset || asset.type !== "asset") throw new Error(`index.html links ${fileName}, which the bundle does not hold`);
        const css = String(asset.source);
        if (/<\/style/i.test(css)) throw new Error(`${fileName} contains "</style": it cannot be inlined`);
        const out = html.replace(tag, () => `<style>${css}</style>`);
        assertStrictCspHtml(out);
        return out;
      },
    },
  };
}

/**
 * What the server's Content-Security-Policy (hashes of the inline <style> elements only)
 * would block: an inline script, an inline event handler, a style attribute.
 */
export function assertStrictCspHtml(html: string): void {
  const withoutStyles = html.replace(/<style>[\s\S]*?<\/style>/g, "");
  if (/<script(?![^>]*\ssrc=)[^>]*>/i.test(withoutStyles)) throw new Error("index.html has an inline <script>, which the Content-Security-Policy blocks");
  if (/<[^>]+\son[a-z]+\s*=/i.test(withoutStyles)) throw new Error("index.html has an inline event handler, which the Content-Security-Policy blocks");
  if (/<[^>]+\sstyle\s*=/i.test(withoutStyles)) throw new Error("index.html has a style attribute, which the Content-Security-Policy blocks");
}

/** Head tags of index.html that the app's own code never changes: description, icons, manifest. */
export function headTags(description: string, themeColor: string): Plugin {
  return {
    name: "laget:head-tags",
    transformIndexHtml() {
      const tags: HtmlTagDescriptor[] = [
        { tag: "meta", attrs: { name: "description", content: description } },
        { tag: "meta", attrs: { name: "theme-color", content: themeColor } },
        { tag: "link", attrs: { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" } },
        { tag: "link", attrs: { rel: "icon", href: "/favicon.ico", sizes: "32x32" } },
        { tag: "link", attrs: { rel: "apple-touch-icon", href: "/apple-touch-icon.png" } },
        { tag: "link", attrs: { rel: "manifest", href: "/manifest.webmanifest" } },
      ];
      return tags.map((t) => ({ ...t, injectTo: "head" as const }));
    },
  };
}
