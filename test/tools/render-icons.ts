/**
 * Renders Laget's icons from client/public/favicon.svg with Debian's Chromium: the PNGs
 * the web app manifest and iOS ask for, and favicon.ico (PNG images in an ICO
 * container, which every browser reads). Run after changing the SVG:
 *   pnpm exec node test/tools/render-icons.ts
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { launchBrowser } from "../support/browser.ts";

const publicDir = path.resolve(import.meta.dirname, "../../client/public");
const svg = await readFile(path.join(publicDir, "favicon.svg"), "utf8");
// Maskable: the motif inside the central 80 % safe zone, the colour to the edges.
const maskable = svg.replace('rx="14"', 'rx="0"').replace(/<circle/g, '<circle transform="translate(6.4 6.4) scale(0.8)"');

const browser = await launchBrowser();
const page = await browser.newPage();
async function png(source: string, size: number): Promise<Buffer> {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${source}`);
  return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
}

/** An ICO file holding PNG images (ICONDIR, one ICONDIRENTRY per image, the images). */
function ico(images: { size: number; data: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, data }, i) => {
    const entry = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(data.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.data)]);
}

await writeFile(path.join(publicDir, "icon-192.png"), await png(svg, 192));
await writeFile(path.join(publicDir, "icon-512.png"), await png(svg, 512));
await writeFile(path.join(publicDir, "icon-maskable-512.png"), await png(maskable, 512));
await writeFile(path.join(publicDir, "apple-touch-icon.png"), await png(maskable, 180));
const small = await Promise.all([16, 32, 48].map(async (size) => ({ size, data: await png(svg, size) })));
await writeFile(path.join(publicDir, "favicon.ico"), ico(small));
await browser.close();
console.log("icons written to", publicDir);
