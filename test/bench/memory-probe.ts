/**
 * Preloaded into a child server by the idle-memory bench (`node --import <this> server/src/main.ts`):
 * on SIGUSR2 it prints one line `memory-usage {…}` with process.memoryUsage() in bytes, so the
 * bench can tell the V8 heap, external memory and array buffers (PGlite's WASM memory is one)
 * apart from the RSS it reads from /proc. Adds a signal handler and nothing else.
 */
process.on("SIGUSR2", () => {
  process.stdout.write(`memory-usage ${JSON.stringify(process.memoryUsage())}\n`);
});
