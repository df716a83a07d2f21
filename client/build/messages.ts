import type { Plugin } from "vite";
import { compileMessage, isPlainText } from "../src/i18n/icu.ts";
import type { Language } from "../src/i18n/types.ts";

/**
 * A catalog with every message that has ICU syntax replaced by its parsed form (what
 * IntlMessageFormat takes instead of text); a message that is plain text stays text. A
 * message that does not parse fails the build.
 */
export function precompileCatalog(node: unknown, language: Language, path = ""): unknown {
  if (typeof node === "string") {
    if (isPlainText(node)) return node;
    try {
      return compileMessage(node, language).getAst();
    } catch (error) {
      throw new Error(`${language} ${path}: not ICU MessageFormat (${(error as Error).message})`, { cause: error });
    }
  }
  if (node && typeof node === "object") {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, precompileCatalog(value, language, path ? `${path}.${key}` : key)]));
  }
  throw new Error(`${language} ${path}: a catalog holds texts and groups of texts, not ${typeof node}`);
}

const catalogFile = /\/src\/i18n\/catalogs\/[^/]+\.(nb|en)\.ts$/;

/**
 * The catalog modules (src/i18n/catalogs/*.{nb,en}.ts) compiled at build time, so the app
 * formats messages without parsing them, and ships without the parser (vite.config.ts
 * points @formatjs/icu-messageformat-parser at its no-parser build).
 */
export function precompileMessages(): Plugin {
  return {
    name: "laget:precompile-messages",
    apply: "build",
    enforce: "post",
    async transform(code, id) {
      const match = catalogFile.exec(id);
      if (!match) return null;
      // By now the module is JavaScript: constant objects of texts, with no imports left.
      const module = (await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`)) as Record<string, unknown>;
      const exports = Object.entries(module).map(
        ([name, catalog]) => `export const ${name} = ${JSON.stringify(precompileCatalog(catalog, match[1] as Language))};`,
      );
      return { code: exports.join("\n"), map: null };
    },
  };
}
