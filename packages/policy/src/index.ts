export * from "./types.ts";
export * from "./decide.ts";
export * from "./case-rules.ts";
export * from "./resources.ts";
export * from "./participation.ts";
export * from "./referral-lifecycle.ts";
