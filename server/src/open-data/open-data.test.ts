import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEMO_PASSWORD } from "../demo/seed.ts";
import { createChildCase, unitIdsByName } from "../testing/case-fixtures.ts";
import { signedIn, type HttpClient } from "../testing/http-client.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { osloOffsetHours } from "./hsds.ts";

// The directory as open data (issue 12, item 2): every service and organisation the open
// endpoints publish validates against the HSDS 3.0 compiled schemas, no login is needed,
// and nothing in it is about a person (every subject name and user in the database is
// looked for, and none is found).

/**
 * The HSDS 3.0 schemas, copied unchanged into `test/standards/hsds-3.0/` so the test runs
 * on any clean clone. Where the project's shared copy sits beside the repository
 * (`../shared/standards/hsds-3.0/`), the copy must be byte-identical to it. A missing
 * schema fails here.
 */
function standardsDir(): string {
  const repoRoot = path.resolve(import.meta.dirname, "../../..");
  const dir = path.resolve(repoRoot, "test/standards/hsds-3.0");
  if (!existsSync(path.join(dir, "service.json"))) throw new Error(`The HSDS 3.0 schemas are missing: looked for service.json in ${dir}`);
  const shared = path.resolve(repoRoot, "../shared/standards/hsds-3.0");
  for (const name of ["service.json", "organization.json"]) {
    if (existsSync(path.join(shared, name)) && !readFileSync(path.join(shared, name)).equals(readFileSync(path.join(dir, name)))) {
      throw new Error(`test/standards/hsds-3.0/${name} differs from the shared copy in ${shared}`);
    }
  }
  return dir;
}

// ajv-formats is CommonJS: under Node's ESM its function is the default export's default.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

let server: TestServer;
let koordinator: HttpClient;
let validateService: ValidateFunction;
let validateOrganization: ValidateFunction;

beforeAll(async () => {
  const dir = standardsDir();
  // The compiled schemas carry no $id, $ref or $schema (checked: none of the three occurs),
  // so each compiles on its own; strict: false lets ajv pass over their Frictionless
  // Data keywords (constraints, core, datapackage_type, example as a string). Each is
  // compiled once, for the whole file.
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  validateService = ajv.compile(JSON.parse(readFileSync(path.join(dir, "service.json"), "utf8")));
  validateOrganization = ajv.compile(JSON.parse(readFileSync(path.join(dir, "organization.json"), "utf8")));
  server = await startTestServer();
  koordinator = await signedIn(server.url, "koordinator@demo.laget.no", DEMO_PASSWORD);
}, 120_000);
afterAll(() => server?.stop());

type Page = { total_items: number; total_pages: number; page_number: number; size: number; first_page: boolean; last_page: boolean; empty: boolean; contents: Service[] };
type Service = {
  id: string;
  name: string;
  organization: { id: string; name: string };
  schedules: { freq?: string; byday?: string; opens_at?: string; closes_at?: string; timezone?: number; description?: string }[];
  cost_options: { amount: number; currency: string; amount_description: string; option: string }[];
  minimum_age?: number;
  maximum_age?: number;
  languages: { code: string }[];
  service_at_locations: { location: { addresses: { country: string; postal_code: string }[] } }[];
};

/** A GET without any cookie or Origin, as any site or script would make it. */
async function get(url: string) {
  const res = await fetch(`${server.url}${url}`);
  return { status: res.status, headers: res.headers, text: await res.text() };
}
const json = async <T,>(url: string) => {
  const res = await get(url);
  expect(res.status, `${url}: ${res.text.slice(0, 200)}`).toBe(200);
  return JSON.parse(res.text) as T;
};

const errorsOf = (validate: ValidateFunction) => JSON.stringify(validate.errors?.slice(0, 5), null, 1);

describe("HSDS 3.0", () => {
  test("every published offer is a service valid against service.json, its organisation valid against organization.json", async () => {
    const page = await json<Page>("/api/open/offers?per_page=100");
    expect(page.contents.length).toBeGreaterThanOrEqual(5);
    for (const service of page.contents) {
      expect(validateService(service), `${service.name}: ${errorsOf(validateService)}`).toBe(true);
      expect(validateOrganization(service.organization), `${service.organization.name}: ${errorsOf(validateOrganization)}`).toBe(true);
    }
  });

  test("the per-offer endpoint gives the same service, valid too; an unknown, malformed or unpublished id is a 404 in JSON", async () => {
    const page = await json<Page>("/api/open/offers?per_page=100");
    for (const listed of page.contents) {
      const one = await json<Service>(`/api/open/offers/${listed.id}`);
      expect(validateService(one), errorsOf(validateService)).toBe(true);
      expect(one).toEqual(listed);
    }
    const units = await unitIdsByName(koordinator);
    const draft = await signedIn(server.url, "idrettslag@demo.laget.no", DEMO_PASSWORD);
    const { offerId } = await draft.mutationOk<{ offerId: string }>("offers.create", { title: "Upublisert", category: "other", published: false, ownerUnitId: units["Fjellheim idrettslag"] });
    for (const id of ["6f1c1d5e-0000-4000-8000-000000000000", "not-a-uuid", offerId]) {
      const res = await get(`/api/open/offers/${id}`);
      expect(res.status, id).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(JSON.parse(res.text)).toEqual({ error: { code: "NOT_FOUND", message: expect.any(String) } });
    }
    expect(page.contents.map((s) => s.id)).not.toContain(offerId);
  });

  test("Fotball for 8–12 år: its organisation, ages, weekly schedule in local time, the cost parts and the total, Norwegian address", async () => {
    const page = await json<Page>(`/api/open/offers?search=${encodeURIComponent("Fotball")}`);
    expect(page.contents.map((s) => s.name)).toEqual(["Fotball for 8–12 år"]);
    const football = page.contents[0]!;
    expect(football.organization.name).toBe("Fjellheim idrettslag");
    expect([football.minimum_age, football.maximum_age]).toEqual([8, 12]);
    expect(football.schedules).toEqual([
      expect.objectContaining({ freq: "WEEKLY", byday: "TU,TH", opens_at: "17:30", closes_at: "19:00", timezone: osloOffsetHours(new Date()) }),
    ]);
    expect(football.cost_options.map((c) => [c.amount_description, c.amount, c.currency, c.option])).toEqual([
      ["Deltakeravgift", 1200, "NOK", "per sesong"],
      ["Utstyr", 600, "NOK", "per sesong"],
      ["Reise", 0, "NOK", "per sesong"],
      ["Totalt for familien (avgift, utstyr og reise)", 1800, "NOK", "per sesong"],
    ]);
    expect(football.languages.map((l) => l.code)).toEqual(["nb", "en"]);
    expect(football.service_at_locations[0]!.location.addresses).toEqual([expect.objectContaining({ country: "NO", postal_code: "9990" })]);
    // A rhythm HSDS cannot express keeps its words only.
    const camp = (await json<Page>(`/api/open/offers?search=${encodeURIComponent("sommerleir")}`)).contents[0]!;
    expect(camp.schedules).toEqual([expect.not.objectContaining({ freq: expect.anything() })]);
    expect(camp.schedules[0]!.description).toBe("Én uke i juli");
  });

  test("Oslo's offset is 1 in winter and 2 in summer", () => {
    expect(osloOffsetHours(new Date("2027-01-15T12:00:00Z"))).toBe(1);
    expect(osloOffsetHours(new Date("2027-07-15T12:00:00Z"))).toBe(2);
  });

  test("the list pages like the HSDS API", async () => {
    const all = await json<Page>("/api/open/offers?per_page=100");
    const first = await json<Page>("/api/open/offers?per_page=2");
    expect(first).toMatchObject({ total_items: all.total_items, total_pages: Math.ceil(all.total_items / 2), page_number: 1, size: 2, first_page: true, last_page: false, empty: false });
    const pages = [first];
    for (let p = 2; p <= first.total_pages; p++) pages.push(await json<Page>(`/api/open/offers?per_page=2&page=${p}`));
    expect(pages.at(-1)).toMatchObject({ last_page: true, first_page: first.total_pages === 1 });
    expect(pages.flatMap((p) => p.contents.map((s) => s.id))).toEqual(all.contents.map((s) => s.id));
    const beyond = await json<Page>(`/api/open/offers?per_page=2&page=${first.total_pages + 1}`);
    expect(beyond).toMatchObject({ empty: true, contents: [], last_page: true });
    expect((await get("/api/open/offers?per_page=1000")).status).toBe(400);
    expect((await get("/api/open/offers?page=zero")).status).toBe(400);
    // The HSDS API's own name for the list.
    expect((await json<Page>("/api/open/services?per_page=100")).contents.map((s) => s.id)).toEqual(all.contents.map((s) => s.id));
  });

  test("GET /api/open describes the endpoints and says what HSDS cannot carry (the DST change, local times)", async () => {
    const about = await json<{ version: string; endpoints: { path: string }[]; limitations: string[] }>("/api/open");
    expect(about.version).toBe("3.0");
    expect(about.endpoints.map((e) => e.path)).toEqual(["/api/open", "/api/open/offers", "/api/open/offers/{id}"]);
    const said = about.limitations.join(" ");
    expect(said).toMatch(/sommertid/);
    expect(said).toMatch(/lokal tid i Norge/);
    expect(said).toMatch(/WEEKLY eller MONTHLY/);
  });

  test("no login and no Origin needed; public caching and CORS for any site", async () => {
    for (const url of ["/api/open", "/api/open/offers", "/api/open/services"]) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get("cache-control"), url).toBe("public, max-age=300");
      expect(res.headers.get("access-control-allow-origin"), url).toBe("*");
      expect(res.headers.get("set-cookie"), url).toBeNull();
    }
    const crossSite = await fetch(`${server.url}/api/open/offers`, { headers: { origin: "https://elsewhere.example", "sec-fetch-site": "cross-site" } });
    expect(crossSite.status).toBe(200);
  });
});

describe("no personal data", () => {
  test("the open data holds no subject's name and no user's name or e-mail, of any case or user in the database", async () => {
    const units = await unitIdsByName(koordinator);
    // Cases with named subjects, in the units that own offers too.
    await createChildCase(koordinator, units["Fjellheim skole"]!, "Sofie Åpendatasen", 2015);
    await createChildCase(koordinator, units["Fjellheim skole"]!, "Fotball Fjellheimsen", 2014);
    const idrettslag = await signedIn(server.url, "idrettslag@demo.laget.no", DEMO_PASSWORD);
    await idrettslag.mutationOk("offers.create", { title: "Innebandy", category: "sport", area: "Nordbyen", ownerUnitId: units["Fjellheim idrettslag"] });

    const texts = [await get("/api/open"), await get("/api/open/offers?per_page=100")].map((r) => r.text);
    const page = JSON.parse(texts[1]!) as Page;
    expect(page.total_items).toBe(page.contents.length);
    for (const s of page.contents) texts.push((await get(`/api/open/offers/${s.id}`)).text);
    const published = texts.join("\n");
    expect(published).toContain("Innebandy");

    const subjects = await server.db.selectFrom("case_subjects").select("name").execute();
    const users = await server.db.selectFrom("users").select(["email", "display_name"]).execute();
    const personal = [...subjects.map((s) => s.name), ...users.flatMap((u) => [u.email, u.display_name])].filter((p) => p.trim().length > 0);
    expect(subjects.map((s) => s.name)).toEqual(expect.arrayContaining(["Sofie Åpendatasen", "Fotball Fjellheimsen"]));
    expect(personal.length).toBeGreaterThan(10);
    expect(personal.filter((p) => published.includes(p))).toEqual([]);
  });
});
