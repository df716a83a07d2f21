import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The API server (port 3000) serves the built client in production; in development
// Vite serves the client and forwards API calls. The Host header is kept as-is
// (changeOrigin: false; Vite's string shorthand would set it to true) so the server's
// same-origin check sees Origin and Host agree.
const api = { target: "http://localhost:3000", changeOrigin: false };

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      "/trpc": api,
      "/health": api,
    },
  },
});
