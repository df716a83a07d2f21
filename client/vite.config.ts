import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The API server (port 3000) serves the built client in production; in development
// Vite serves the client and forwards API calls. Host is kept as-is (no changeOrigin)
// so the server's same-origin check sees Origin and Host agree.
const api = "http://localhost:3000";

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      "/trpc": api,
      "/health": api,
    },
  },
});
