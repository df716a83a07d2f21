import { optionalText } from "@laget/domain";
import { Hono, type Context } from "hono";
import { sql } from "kysely";
import { z } from "zod";
import type { Db } from "../db/connect.ts";
import { offerRows } from "../offers/offers.ts";
import { openDataDescription, serviceOf, type OpenOfferRow } from "./hsds.ts";

/**
 * The offers directory as open data, under /api, without login (DESIGN.md §7):
 *
 * - `GET /api/open`: what is published and what HSDS 3.0 cannot carry;
 * - `GET /api/open/offers` (also `/api/open/services`): every published offer of every
 *   municipality as an HSDS service, paged like the HSDS API;
 * - `GET /api/open/offers/:id` (also `/api/open/services/:id`): one, or a 404 in JSON.
 *
 * Offers are public information: no session is read, and GETs pass the Origin check as
 * every safe request does. Any site may read them (CORS `*`), and caches may keep them
 * five minutes.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEADERS = { "cache-control": "public, max-age=300", "access-control-allow-origin": "*" } as const;
export const MAX_PER_PAGE = 100;

const pageQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  per_page: z.coerce.number().int().min(1).max(MAX_PER_PAGE).default(50),
  search: optionalText(120).optional(),
});

/** What is published: offers that are published, not archived, of an active unit (offerRows), with their municipality's name. */
function published(db: Db) {
  return offerRows(db)
    .innerJoin("municipalities as m", "m.id", "o.municipality_id")
    .select("m.name as municipality_name")
    .where("o.published", "=", true);
}

export function openDataRoutes({ db }: { db: Db }) {
  const api = new Hono();
  const notFound = () => new Response(JSON.stringify({ error: { code: "NOT_FOUND", message: "No such published offer." } }), {
    status: 404,
    headers: { "content-type": "application/json; charset=utf-8", ...HEADERS },
  });

  api.get("/open", (c) => c.json(openDataDescription(new Date()), 200, HEADERS));

  const list = async (c: Context) => {
    const parsed = pageQuery.safeParse(c.req.query());
    if (!parsed.success) {
      const fields = Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "_", i.message]));
      return c.json({ error: { code: "VALIDATION", message: "Invalid query parameters.", fields } }, 400, HEADERS);
    }
    const { page, per_page: perPage, search } = parsed.data;
    let q = published(db);
    if (search) {
      const pattern = `%${search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      q = q.where((eb) => eb.or(["o.title", "o.description", "u.name", "o.location_name", "o.area", "o.city"].map((col) => eb(sql.ref(col), "ilike", pattern))));
    }
    const [{ n }, rows] = await Promise.all([
      q.clearSelect().select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
      q.orderBy("m.name").orderBy("o.title").orderBy("o.id").limit(perPage).offset((page - 1) * perPage).execute(),
    ]);
    const total = Number(n);
    const totalPages = Math.ceil(total / perPage);
    const at = new Date();
    return c.json(
      {
        total_items: total,
        total_pages: totalPages,
        page_number: page,
        size: perPage,
        first_page: page === 1,
        last_page: page >= totalPages,
        empty: rows.length === 0,
        contents: rows.map((row) => serviceOf(row as OpenOfferRow, at)),
      },
      200,
      HEADERS,
    );
  };

  const one = async (c: Context) => {
    const id = c.req.param("id") ?? "";
    if (!UUID.test(id)) return notFound();
    const row = await published(db).where("o.id", "=", id.toLowerCase()).executeTakeFirst();
    if (!row) return notFound();
    return c.json(serviceOf(row as OpenOfferRow, new Date()), 200, HEADERS);
  };

  api.get("/open/offers", list);
  api.get("/open/offers/:id", one);
  // The HSDS API's own names for the same resources.
  api.get("/open/services", list);
  api.get("/open/services/:id", one);
  api.all("/open/*", () => notFound());

  return api;
}
