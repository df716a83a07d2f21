/**
 * The JavaScript budget per route (pure: the Vite plugin in plugins.ts feeds it the bundle).
 * A route loads the entry chunk, the lazy chunks holding its pages' source modules, and every
 * chunk those import statically, transitively; each chunk is counted once per route however
 * many paths lead to it. A lazy chunk that no route loads is an error, so a new page cannot
 * escape the budget by not being listed.
 */

export type ChunkInfo = {
  fileName: string;
  isEntry: boolean;
  isDynamicEntry: boolean;
  /** File names of the chunks this one imports statically. */
  imports: readonly string[];
  /** Absolute ids of the source modules bundled into this chunk. */
  moduleIds: readonly string[];
  /** Compressed sizes in bytes. */
  br: number;
  gzip: number;
};

/** Route path → the source modules (absolute ids) its lazy pages are. */
export type Routes = Readonly<Record<string, readonly string[]>>;

export type Limits = {
  /** Bytes (brotli) for the route named by `route`. */
  login: { route: string; br: number };
  /** Bytes (brotli) for every route. */
  anyRoute: number;
};

export type RouteRow = { route: string; files: string[]; br: number; gzip: number };
export type BudgetReport = { rows: RouteRow[]; errors: string[] };

function closure(start: Iterable<ChunkInfo>, byName: Map<string, ChunkInfo>): Set<ChunkInfo> {
  const seen = new Set<ChunkInfo>();
  const stack = [...start];
  while (stack.length > 0) {
    const chunk = stack.pop()!;
    if (seen.has(chunk)) continue;
    seen.add(chunk);
    for (const name of chunk.imports) {
      const next = byName.get(name);
      if (next) stack.push(next);
    }
  }
  return seen;
}

/**
 * What each route loads, and what breaks the budget. `everyRoute` lists modules any route
 * may load on top of its own (the second language's catalog): counted in every route, so
 * each figure is the worst case.
 */
export function checkBudget(chunks: readonly ChunkInfo[], routes: Routes, limits: Limits, everyRoute: readonly string[] = []): BudgetReport {
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  const byModule = new Map<string, ChunkInfo>();
  for (const c of chunks) for (const id of c.moduleIds) byModule.set(id, c);
  const entries = chunks.filter((c) => c.isEntry);
  const errors: string[] = [];
  const covered = new Set<ChunkInfo>();
  const rows: RouteRow[] = [];

  const chunksOf = (modules: readonly string[], route: string) =>
    modules.flatMap((id) => {
      const chunk = byModule.get(id);
      if (!chunk) errors.push(`${route}: no chunk holds ${id}`);
      return chunk ? [chunk] : [];
    });
  const shared = chunksOf(everyRoute, "every route");

  for (const [route, modules] of Object.entries(routes)) {
    const loaded = closure([...entries, ...shared, ...chunksOf(modules, route)], byName);
    for (const c of loaded) covered.add(c);
    const files = [...loaded].map((c) => c.fileName).sort();
    let br = 0;
    let gzip = 0;
    for (const c of loaded) {
      br += c.br;
      gzip += c.gzip;
    }
    rows.push({ route, files, br, gzip });
    const limit = route === limits.login.route ? Math.min(limits.login.br, limits.anyRoute) : limits.anyRoute;
    if (br > limit) errors.push(`${route} loads ${kib(br)} KiB of JavaScript (brotli), over its budget of ${kib(limit)} KiB`);
  }
  if (!(limits.login.route in routes)) errors.push(`the budget names ${limits.login.route}, which is not a listed route`);
  for (const c of chunks) {
    if (c.isDynamicEntry && !covered.has(c)) errors.push(`the lazy chunk ${c.fileName} (${c.moduleIds.length} modules) is loaded by no listed route: list its page under a route in client/build/routes.ts`);
  }
  return { rows, errors };
}

export function kib(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}

/** The table the build prints: route, KiB brotli, KiB gzip. */
export function formatTable(rows: readonly RouteRow[]): string {
  const width = Math.max(5, ...rows.map((r) => r.route.length));
  const lines = [`${"route".padEnd(width)}  ${"br KiB".padStart(8)}  ${"gz KiB".padStart(8)}  chunks`];
  for (const r of rows) lines.push(`${r.route.padEnd(width)}  ${kib(r.br).padStart(8)}  ${kib(r.gzip).padStart(8)}  ${r.files.length}`);
  return lines.join("\n");
}
