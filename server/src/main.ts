import { ConfigError, parseConfig } from "./config.ts";
import { createLogger } from "./log.ts";
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

process.on("unhandledRejection", (reason) => log.error({ err: reason }, "unhandled rejection"));

try {
  const server = await startServer({ config, log });
  const shutdown = (signal: string) => {
    log.info({ signal }, "shutting down");
    server.close().then(
      () => {
        log.info("stopped");
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
} catch (err) {
  log.fatal({ err }, "failed to start");
  process.exit(1);
}
