import { getErrorShape, getTRPCErrorFromUnknown, TRPCError, type AnyTRPCProcedure } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import superjson from "superjson";
import { authenticateRequest, SESSION_COOKIE } from "../auth/upgrade.ts";
import { createCallerFactory, type Context } from "../trpc/init.ts";
import { appRouter } from "../trpc/router.ts";
import { unwrap, type TrpcClient, type TrpcResult } from "./http-client.ts";

/** What every request's context shares: everything but who is asking. */
export type CallerDeps = Omit<Context, "ip" | "session" | "actor" | "setSessionCookie" | "clearSessionCookie"> & { ip?: string | null };

const createCaller = createCallerFactory(appRouter);
// Flat at run time ("cases.get"), nested in its type.
const procedures = appRouter._def.procedures as unknown as Record<string, AnyTRPCProcedure>;

/**
 * A tRPC client without a server: each call builds the context from its session cookie
 * as the HTTP adapter does (authenticateRequest, so a logout, deactivation or membership
 * change counts on the next call) and calls the procedure through `createCaller`.
 * Input and output pass through superjson and errors through the router's error
 * formatter, so results are shaped exactly as HttpClient's. For tests that assert
 * procedures, not HTTP, cookies or sockets.
 */
export class CallerClient implements TrpcClient {
  cookie: string | null = null;
  readonly #deps: CallerDeps;
  constructor(deps: CallerDeps) {
    this.#deps = deps;
  }

  query<T = unknown>(path: string, input?: unknown): Promise<TrpcResult<T>> {
    return this.#call<T>("query", path, input);
  }
  mutation<T = unknown>(path: string, input?: unknown): Promise<TrpcResult<T>> {
    return this.#call<T>("mutation", path, input);
  }
  async queryOk<T = unknown>(path: string, input?: unknown): Promise<T> {
    return unwrap(path, await this.query<T>(path, input));
  }
  async mutationOk<T = unknown>(path: string, input?: unknown): Promise<T> {
    return unwrap(path, await this.mutation<T>(path, input));
  }
  login(email: string, password: string): Promise<TrpcResult> {
    return this.mutation("auth.login", { email, password });
  }

  async #call<T>(type: "query" | "mutation", path: string, rawInput: unknown): Promise<TrpcResult<T>> {
    const { ip = "127.0.0.1", ...deps } = this.#deps;
    const authenticated = await authenticateRequest(deps.db, this.cookie);
    const ctx: Context = {
      ...deps,
      ip,
      session: authenticated?.session ?? null,
      actor: authenticated?.actor ?? null,
      setSessionCookie: (token) => {
        this.cookie = `${SESSION_COOKIE}=${token}`;
      },
      clearSessionCookie: () => {
        this.cookie = null;
      },
    };
    // As on the wire: what survives superjson is what the procedure gets.
    const input = rawInput === undefined ? undefined : wire(rawInput);
    try {
      // HTTP answers a query sent as a mutation (or the reverse) with 405, an unknown path with 404.
      const procedure = procedures[path];
      if (!procedure) throw new TRPCError({ code: "NOT_FOUND", message: `No procedure found on path "${path}"` });
      if (procedure._def.type !== type) {
        const message = `Unsupported ${type === "query" ? "GET" : "POST"}-request to ${procedure._def.type} procedure at path "${path}"`;
        throw new TRPCError({ code: "METHOD_NOT_SUPPORTED", message });
      }
      const call = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], createCaller(ctx)) as (input: unknown) => Promise<unknown>;
      return { ok: true, status: 200, data: wire(await call(input)) as T };
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      if (error.code === "INTERNAL_SERVER_ERROR") deps.log.error({ err: error.cause ?? error, procedure: path }, "procedure failed");
      const shape = getErrorShape({ config: appRouter._def._config, error, type, path, input, ctx });
      return { ok: false, status: getHTTPStatusCodeFromError(error), error: wire(shape) as never };
    }
  }
}

function wire(value: unknown): unknown {
  return superjson.deserialize(superjson.serialize(value));
}
