/**
 * The HTTP benchmarks' bare baseline: Hono on @hono/node-server with nothing else, answering
 * every GET with the body it was given (BARE_BODY), as JSON. Prints "listening on <url>".
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const body = process.env.BARE_BODY ?? "{}";
const app = new Hono();
app.get("*", (c) => c.body(body, 200, { "content-type": "application/json" }));
serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => console.log(`listening on http://localhost:${info.port}`));
