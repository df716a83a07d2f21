import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { precompileMessages } from "./build/messages.ts";
import { budget, headTags, inlineEntryCss, precompress } from "./build/plugins.ts";
import { everyRoute, limits, routes } from "./build/routes.ts";
import { appNb } from "./src/i18n/catalogs/app.nb.ts";

// The API server (port 3000) serves the built client in production; in development
// Vite serves the client and forwards API calls. The Host header is kept as-is
// (changeOrigin: false; Vite's string shorthand would set it to true) so the server's
// same-origin check sees Origin and Host agree.
const api = { target: "http://localhost:3000", changeOrigin: false };

export default defineConfig(({ command }) => ({
  plugins: [
    react(),
    precompileMessages(),
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
    alias: [
      // Every message is precompiled in the build (build/messages.ts): the app needs no ICU parser.
      ...(command === "build" ? [{ find: /^@formatjs\/icu-messageformat-parser$/, replacement: "@formatjs/icu-messageformat-parser/no-parser.js" }] : []),
    ],
  },
  server: {
    proxy: {
      "/trpc": api,
      "/health": api,
    },
  },
}));
