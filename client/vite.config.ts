import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { budget, headTags, inlineEntryCss, precompress } from "./build/plugins.ts";
import { everyRoute, limits, routes } from "./build/routes.ts";
import { appNb } from "./src/i18n/catalogs/app.nb.ts";

// The API server (port 3000) serves the built client in production; in development
// Vite serves the client and forwards API calls. The Host header is kept as-is
// (changeOrigin: false; Vite's string shorthand would set it to true) so the server's
// same-origin check sees Origin and Host agree.
const api = { target: "http://localhost:3000", changeOrigin: false };

export default defineConfig({
  plugins: [
    react(),
    // index.html is in bokmål (lang="nb"); its description is the catalog's.
    headTags(appNb.app.metaDescription, "#0b4f7c"),
    inlineEntryCss(),
    budget(routes, limits, everyRoute),
    precompress(),
  ],
  build: {
    // Maps beside the output for debugging a report, never referenced by it.
    sourcemap: "hidden",
  },
  resolve: {
    // @laget/domain's zod schemas are the server's; the client only reads its constants.
    alias: { zod: fileURLToPath(new URL("./src/zod-stub.ts", import.meta.url)) },
  },
  server: {
    proxy: {
      "/trpc": api,
      "/health": api,
    },
  },
});
