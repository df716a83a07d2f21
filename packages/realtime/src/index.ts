export * from "./protocol.ts";
export * from "./cursor.ts";
