import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { ClientBuild } from "./client-build.ts";
import type { PublicOrigin } from "./origin.ts";

/** The WebSocket origin of our public origin (socket.io and /collab): http → ws, https → wss. */
export function webSocketOrigin(publicOrigin: string): string {
  return publicOrigin.replace(/^http/, "ws");
}

/**
 * Every response carries a strict Content-Security-Policy: scripts and styles only from
 * this origin (no inline script, no eval; the one inline `<style>` is allowed by its
 * hash), connections only to the API and our WebSocket origin, never framed, no <base>,
 * forms post only here, no plugins. Permissions-Policy turns off the browser features
 * Laget does not use (the clipboard stays: one-time passwords and calendar addresses are
 * copied from the page).
 */
export function securityHeaders({ publicOrigin, client }: { publicOrigin: PublicOrigin; client: ClientBuild }): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", () => client.inlineStyleSources().join(" ")],
      imgSrc: ["'self'"],
      fontSrc: ["'self'"],
      connectSrc: ["'self'", () => webSocketOrigin(publicOrigin())],
      manifestSrc: ["'self'"],
      workerSrc: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      objectSrc: ["'none'"],
    },
    permissionsPolicy: {
      accelerometer: [],
      autoplay: [],
      browsingTopics: [],
      camera: [],
      displayCapture: [],
      encryptedMedia: [],
      fullscreen: [],
      geolocation: [],
      gyroscope: [],
      hid: [],
      magnetometer: [],
      microphone: [],
      midi: [],
      payment: [],
      pictureInPicture: [],
      publickeyCredentialsGet: [],
      screenWakeLock: [],
      serial: [],
      usb: [],
      xrSpatialTracking: [],
    },
    xFrameOptions: "DENY",
  });
}
