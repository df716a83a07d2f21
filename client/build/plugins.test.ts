import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { expect, test } from "vitest";
import { appEn } from "../src/i18n/catalogs/app.en.ts";
import { appNb } from "../src/i18n/catalogs/app.nb.ts";
import { assertStrictCspHtml, headTags, inlineEntryCss, precompress } from "./plugins.ts";

// A plugin hook as a plain function (Vite allows a function or { handler }).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => any;
function hook(plugin: object, name: string): AnyFn {
  const h = (plugin as Record<string, unknown>)[name];
  return (typeof h === "function" ? h : (h as { handler: AnyFn }).handler) as AnyFn;
}

test("every text file of the build gets a brotli and a gzip twin that unpack to it; maps, images and the twins themselves do not", () => {
  const root = mkdtempSync(join(tmpdir(), "laget-precompress-"));
  const dist = join(root, "dist");
  mkdirSync(join(dist, "assets"), { recursive: true });
  const text = "body { color: red }\n".repeat(50);
  const texts = ["index.html", "robots.txt", "favicon.svg", "favicon.ico", "manifest.webmanifest", "assets/a.js", "assets/a.css", "assets/b.json"];
  for (const f of texts) writeFileSync(join(dist, f), text);
  for (const f of ["assets/a.js.map", "apple-touch-icon.png"]) writeFileSync(join(dist, f), text);

  const plugin = precompress();
  hook(plugin, "configResolved")({ root, build: { outDir: "dist" } });
  hook(plugin, "buildEnd")(undefined);
  hook(plugin, "closeBundle")();

  const files = [...readdirSync(dist), ...readdirSync(join(dist, "assets")).map((f) => `assets/${f}`)].filter((f) => f !== "assets").sort();
  const expected = [...texts, ...texts.map((f) => `${f}.br`), ...texts.map((f) => `${f}.gz`), "assets/a.js.map", "apple-touch-icon.png"].sort();
  expect(files).toEqual(expected);
  for (const f of texts) {
    expect(brotliDecompressSync(readFileSync(join(dist, `${f}.br`))).toString()).toBe(text);
    expect(gunzipSync(readFileSync(join(dist, `${f}.gz`))).toString()).toBe(text);
  }
});

test("a failed build is not compressed", () => {
  const root = mkdtempSync(join(tmpdir(), "laget-precompress-"));
  mkdirSync(join(root, "dist"));
  writeFileSync(join(root, "dist", "index.html"), "<p>");
  const plugin = precompress();
  hook(plugin, "configResolved")({ root, build: { outDir: "dist" } });
  hook(plugin, "buildEnd")(new Error("budget"));
  hook(plugin, "closeBundle")();
  expect(readdirSync(join(root, "dist"))).toEqual(["index.html"]);
});

const html = (links: string) => `<!doctype html><html><head><script type="module" crossorigin src="/assets/index-1.js"></script>${links}</head><body><div id="root"></div></body></html>`;
const css = { type: "asset", source: ".a{color:red}" };
const inline = (page: string, bundle: Record<string, unknown>) => hook(inlineEntryCss(), "transformIndexHtml")(page, { bundle }) as string;

test("the entry stylesheet becomes one <style> in place of its <link>", () => {
  const out = inline(html(`<link rel="stylesheet" crossorigin href="/assets/index-1.css">`), { "assets/index-1.css": css });
  expect(out).toBe(html("<style>.a{color:red}</style>"));
});

test("inlining refuses what it cannot do right: no stylesheet, two, one the bundle lacks, one that closes the element", () => {
  expect(() => inline(html(""), {})).toThrow(/links 0/);
  const two = `<link rel="stylesheet" href="/assets/a.css"><link rel="stylesheet" href="/assets/b.css">`;
  expect(() => inline(html(two), { "assets/a.css": css, "assets/b.css": css })).toThrow(/links 2/);
  expect(() => inline(html(`<link rel="stylesheet" href="/assets/a.css">`), {})).toThrow(/does not hold/);
  expect(() => inline(html(`<link rel="stylesheet" href="/assets/a.css">`), { "assets/a.css": { type: "asset", source: "a{}</style><script>" } })).toThrow(/<\/style/);
});

test("index.html may hold nothing the strict Content-Security-Policy blocks", () => {
  expect(() => assertStrictCspHtml(html("<style>.a{}</style>"))).not.toThrow();
  expect(() => assertStrictCspHtml(html("<script>alert(1)</script>"))).toThrow(/inline <script>/);
  expect(() => assertStrictCspHtml(html(`<button onclick="x()">`))).toThrow(/event handler/);
  expect(() => assertStrictCspHtml(html(`<div style="color:red">`))).toThrow(/style attribute/);
  // Inside a stylesheet these are CSS, not markup.
  expect(() => assertStrictCspHtml(html(`<style>[style="x"]{}</style>`))).not.toThrow();
  // And the inlining plugin checks its result.
  expect(() => inline(html(`<link rel="stylesheet" href="/assets/a.css"><div style="x">`), { "assets/a.css": css })).toThrow(/style attribute/);
});

test("the head gets the description, theme colour, icons and manifest; the description is a catalog text in both languages", () => {
  const tags = hook(headTags("Beskrivelse", "#0b4f7c"), "transformIndexHtml")() as { tag: string; attrs: Record<string, string>; injectTo: string }[];
  expect(tags.map((t) => [t.tag, t.attrs, t.injectTo])).toEqual([
    ["meta", { name: "description", content: "Beskrivelse" }, "head"],
    ["meta", { name: "theme-color", content: "#0b4f7c" }, "head"],
    ["link", { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" }, "head"],
    ["link", { rel: "icon", href: "/favicon.ico", sizes: "32x32" }, "head"],
    ["link", { rel: "apple-touch-icon", href: "/apple-touch-icon.png" }, "head"],
    ["link", { rel: "manifest", href: "/manifest.webmanifest" }, "head"],
  ]);
  for (const description of [appNb.app.metaDescription, appEn.app.metaDescription]) {
    expect(description.length).toBeGreaterThan(50);
    expect(description.length).toBeLessThanOrEqual(160);
  }
});
