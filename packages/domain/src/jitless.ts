import { z } from "zod";

// In the browser, Laget's Content-Security-Policy forbids eval. Zod compiles fast parsers
// with `new Function` unless told not to, and even its probe for eval is reported as a
// violation. So before any schema is built (index.ts imports this first, and the client
// reaches zod only through this package) zod is told not to, in a browser only: the
// server keeps the compiled parsers.
if ("document" in globalThis) z.config({ jitless: true });
