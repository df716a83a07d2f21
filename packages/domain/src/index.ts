export * from "./org.ts";
export * from "./auth.ts";
export * from "./errors.ts";
export * from "./cases.ts";
export * from "./messaging.ts";
export * from "./access-log.ts";
export * from "./text.ts";
export * from "./plans.ts";
