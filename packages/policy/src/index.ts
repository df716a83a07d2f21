export * from "./types.ts";
export * from "./decide.ts";
