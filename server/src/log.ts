import { fstatSync } from "node:fs";
import { Socket } from "node:net";
import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/** Log lines waiting for a slow stdout beyond this are dropped rather than kept in memory. */
const MAX_BUFFERED = 16 * 1024 * 1024;
let stdoutPipe: Socket | null = null;

/**
 * Where log lines go. A file or a terminal is written synchronously, as pino does. A
 * pipe or socket (a process manager, `| tee`, a test's child process) is written through
 * a non-blocking handle of its own: a pipe nobody reads any more must never block the
 * event loop (Node writes pipes synchronously on Linux), and one that is closed (EPIPE)
 * must never crash the server.
 */
function stdoutDestination(): DestinationStream {
  let stat;
  try {
    stat = fstatSync(1);
  } catch {
    return pino.destination({ dest: 1, sync: true });
  }
  if (!stat.isFIFO() && !stat.isSocket()) return pino.destination({ dest: 1, sync: true });
  stdoutPipe ??= new Socket({ fd: 1, readable: false, writable: true }).on("error", () => {});
  const pipe = stdoutPipe;
  return {
    write(line: string) {
      if (!pipe.destroyed && pipe.writableLength < MAX_BUFFERED) pipe.write(line);
    },
  };
}

/** Structured JSON logs on stdout; passwords and session tokens are never logged. */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { service: "laget" },
      redact: ["password", "*.password", "currentPassword", "newPassword", "token", "*.token"],
    },
    stdoutDestination(),
  );
}

/** Before exiting: waits (at most `timeoutMs`) for log lines still on their way to a piped stdout. */
export function drainLogs(timeoutMs: number): Promise<void> {
  const pipe = stdoutPipe;
  if (!pipe || pipe.destroyed || pipe.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    pipe.once("drain", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
