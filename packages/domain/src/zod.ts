import { z } from "zod";

// Every schema in this package is built with the `z` from here, so this runs before any
// of them, however a bundler splits the modules. In the browser, Laget's
// Content-Security-Policy forbids eval: zod compiles fast parsers with `new Function`
// unless told not to, and even its probe for eval is reported as a violation. The server
// keeps the compiled parsers.
if ("document" in globalThis) z.config({ jitless: true });

export { z };
