import "./runtime-flags.ts";
import { ConfigError, parseConfig } from "./config.ts";
import { createLogger, drainLogs } from "./log.ts";
import { startServer } from "./server.ts";

// The process entry point: `pnpm start`.
let config;
try {
  config = parseConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
const log = createLogger(config.logLevel);
/** Exits once the last log lines are out (or after `drainMs`, if nobody reads them). */
const exit = (code: number, drainMs = 1_000) => void drainLogs(drainMs).then(() => process.exit(code));

process.on("unhandledRejection", (reason) => log.error({ err: reason }, "unhandled rejection"));

// Whatever hangs during shutdown (a database that vanished mid-query, a plan that cannot
// be stored), the process is gone within 10 s of the signal.
const SHUTDOWN_DEADLINE_MS = 8_500;

try {
  const server = await startServer({ config, log });
  const shutdown = (signal: string) => {
    log.info({ signal }, "shutting down");
    setTimeout(() => {
      log.error({ signal }, "shutdown did not finish in time: exiting anyway");
      exit(1, 500);
    }, SHUTDOWN_DEADLINE_MS).unref();
    server.close().then(
      () => {
        log.info("stopped");
        exit(0);
      },
      (err: unknown) => {
        log.error({ err }, "shutdown failed");
        exit(1);
      },
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
} catch (err) {
  log.fatal({ err }, "failed to start");
  exit(1);
}
