import superjson from "superjson";

export type TrpcResult<T = unknown> =
  | { ok: true; status: number; data: T }
  | {
      ok: false;
      status: number;
      error: {
        message: string;
        data: { code: string; appCode: string | null; fieldErrors: Record<string, string[]> | null };
      };
    };

/**
 * What a test needs of a signed-in (or signed-out) user, over HTTP (HttpClient) or in
 * process without a server (CallerClient in caller-client.ts): the same calls and results.
 */
export interface TrpcClient {
  /** The session cookie ("laget_session=…"), or null when signed out. */
  cookie: string | null;
  query<T = unknown>(path: string, input?: unknown): Promise<TrpcResult<T>>;
  mutation<T = unknown>(path: string, input?: unknown): Promise<TrpcResult<T>>;
  queryOk<T = unknown>(path: string, input?: unknown): Promise<T>;
  mutationOk<T = unknown>(path: string, input?: unknown): Promise<T>;
  login(email: string, password: string): Promise<TrpcResult>;
}

/**
 * A minimal tRPC-over-HTTP client with a cookie jar, speaking to a running server
 * exactly as a browser on the same origin would (Origin header on mutations).
 */
export class HttpClient implements TrpcClient {
  cookie: string | null = null;
  readonly baseUrl: string;
  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async query<T = unknown>(path: string, input?: unknown, headers: Record<string, string> = {}): Promise<TrpcResult<T>> {
    const qs = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
    return this.send<T>(`${this.baseUrl}/trpc/${path}${qs}`, { method: "GET", headers: this.headers(headers) });
  }

  async mutation<T = unknown>(path: string, input?: unknown, headers: Record<string, string> = {}): Promise<TrpcResult<T>> {
    return this.send<T>(`${this.baseUrl}/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: this.baseUrl, ...this.headers(headers) },
      body: JSON.stringify(superjson.serialize(input)),
    });
  }

  /** Like query/mutation, but returns the data and throws on any error: for steps that must work. */
  async queryOk<T = unknown>(path: string, input?: unknown): Promise<T> {
    return unwrap(path, await this.query<T>(path, input));
  }
  async mutationOk<T = unknown>(path: string, input?: unknown): Promise<T> {
    return unwrap(path, await this.mutation<T>(path, input));
  }

  async login(email: string, password: string): Promise<TrpcResult> {
    return this.mutation("auth.login", { email, password });
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    return { ...(this.cookie ? { cookie: this.cookie } : {}), ...extra };
  }

  private async send<T>(url: string, init: RequestInit): Promise<TrpcResult<T>> {
    const res = await fetch(url, init);
    const setCookie = res.headers.get("set-cookie");
    if (setCookie) {
      const pair = setCookie.split(";")[0]!;
      this.cookie = pair.endsWith("=") ? null : pair;
    }
    const text = await res.text();
    let body: { result?: { data: unknown }; error?: { json: unknown } };
    try {
      body = JSON.parse(text);
    } catch {
      // Refused before tRPC saw it (e.g. 431 for an oversized URL): keep status and text.
      const error = { message: text || res.statusText, data: { code: String(res.status), appCode: null, fieldErrors: null } };
      return { ok: false, status: res.status, error };
    }
    if (body.error) return { ok: false, status: res.status, error: body.error.json as never };
    return { ok: true, status: res.status, data: superjson.deserialize(body.result!.data as never) as T };
  }
}

export function unwrap<T>(path: string, res: TrpcResult<T>): T {
  if (!res.ok) throw new Error(`${path} failed (${res.status}): ${res.error.data.appCode ?? ""} ${res.error.message}`);
  return res.data;
}

/** A client already signed in. */
export async function signedIn(baseUrl: string, email: string, password: string): Promise<HttpClient> {
  const client = new HttpClient(baseUrl);
  const res = await client.login(email, password);
  if (!res.ok) throw new Error(`login as ${email} failed: ${res.error.message}`);
  return client;
}
