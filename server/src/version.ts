import rootPackage from "../../package.json" with { type: "json" };

/** The version reported by /health. */
export const version: string = rootPackage.version;
