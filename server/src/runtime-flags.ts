import v8 from "node:v8";

// Imported first by main.ts, before anything opens PGlite. V8 compiles the hot functions of
// PGlite's WebAssembly (the SQL parser, the executor) with TurboFan on as many background
// threads as it likes; at a fresh start those compilations together peaked at ~800 MB and
// left ~60 MB behind in malloc arenas of an idle server. One compilation task at a time
// yields the same machine code, a little later (bench:idle; query speed unchanged).
// What V8 flags cannot do, `pnpm start` does through glibc's environment: MALLOC_ARENA_MAX=2
// (fewer per-thread arenas holding freed compiler memory) and MALLOC_TRIM_THRESHOLD_=65536
// (freed memory goes back to the system sooner). Together ~250 -> ~215 MB idle (bench:idle).
v8.setFlagsFromString("--wasm-num-compilation-tasks=1");
