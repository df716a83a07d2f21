/**
 * What "zod" is in the client build (vite.config.ts aliases it here). @laget/domain defines
 * the server's input schemas beside the constants the client uses (case statuses, roles,
 * limits); the client never validates with them: the server does, at its boundary. Building
 * a schema here yields this inert stand-in, so none of zod reaches the browser. Validating
 * with one throws, so a client that starts relying on zod fails loudly in its tests rather
 * than passing everything.
 */
const validating = new Set<PropertyKey>(["parse", "safeParse", "parseAsync", "safeParseAsync", "spa", "decode", "encode", "safeDecode", "safeEncode", "decodeAsync", "encodeAsync", "safeDecodeAsync", "safeEncodeAsync"]);

function refuse(): never {
  throw new Error("zod is not part of the client build (client/src/zod-stub.ts): the server validates input");
}

const schema: unknown = new Proxy(() => {}, {
  get: (_target, key) => (validating.has(key) ? refuse : typeof key === "symbol" || key === "then" ? undefined : schema),
  apply: () => schema,
});

export const z = schema;
export default schema;
