import { createLogger } from "../log.ts";
import { createEventBus } from "../events/bus.ts";

// A bare subscriber in a process of its own, for the cross-process bus test: it prints
// "ready" once subscribed, then every event as one JSON line.
const bus = await createEventBus({ redisUrl: process.env.REDIS_URL, log: createLogger("warn") });
bus.subscribe((event) => process.stdout.write(`${JSON.stringify(event)}\n`));
process.stdout.write("ready\n");
process.once("SIGTERM", () => void bus.close().then(() => process.exit(0)));
