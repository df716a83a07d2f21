import { pino, type Logger } from "pino";

export type { Logger };

/** Structured JSON logs on stdout; passwords and session tokens are never logged. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "laget" },
    redact: ["password", "*.password", "currentPassword", "newPassword", "token", "*.token"],
  });
}
