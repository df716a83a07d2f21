import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  addGoal,
  addMeasure,
  caseIdOfDocument,
  defaultDomains,
  initPlan,
  notesText,
  planDocumentName,
  planTypes,
  PlanValidationError,
  readPlan,
  removeMeasure,
  replacePlanContent,
  updateMeasure,
} from "./schema.ts";

const UNIT = "3f1c2a4e-1111-4a2b-9c3d-0123456789ab";
const PERSON = "5a6b7c8d-2222-4e3f-8a9b-0123456789ab";

function seeded() {
  const doc = new Y.Doc();
  initPlan(doc);
  return doc;
}

describe("plan document schema", () => {
  it("names documents by case and reads the case id back, rejecting anything else", () => {
    const caseId = "0b9f6a52-7c5e-4a1e-9d6f-2a3b4c5d6e7f";
    expect(caseIdOfDocument(planDocumentName(caseId))).toBe(caseId);
    expect(caseIdOfDocument("plan:../../etc")).toBeNull();
    expect(caseIdOfDocument("minutes:" + caseId)).toBeNull();
  });

  it("knows a plan by exactly one name: any other spelling of the case id is no plan", () => {
    const caseId = "0b9f6a52-7c5e-4a1e-9d6f-2a3b4c5d6e7f";
    expect(planDocumentName(caseId.toUpperCase())).toBe(planDocumentName(caseId));
    for (const name of [`plan:${caseId.toUpperCase()}`, `PLAN:${caseId}`, `plan:${caseId} `, ` plan:${caseId}`, `plan:${caseId}\0`, `plan:{${caseId}}`]) {
      expect(caseIdOfDocument(name), name).toBeNull();
    }
  });

  it("seeds the default domains once, idempotently", () => {
    const doc = seeded();
    initPlan(doc);
    expect(readPlan(doc).domains.map((d) => d.name)).toEqual(defaultDomains.map((d) => d.name));
  });

  it("seeding on two replicas at once converges to one set of domains", () => {
    const a = seeded();
    const b = seeded();
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readPlan(a).domains).toHaveLength(defaultDomains.length);
    expect(readPlan(a)).toEqual(readPlan(b));
  });

  it("adds goals and measures and updates single fields", () => {
    const doc = seeded();
    const goalId = addGoal(doc, { text: "Vi vil ha en trygg bolig", domainId: "bolig" });
    const id = addMeasure(doc, { title: "Søke kommunal bolig", domainId: "bolig", goalId, responsibleUnitId: UNIT, deadline: "2026-09-01" });
    updateMeasure(doc, id, { status: "in_progress", responsiblePersonId: PERSON });
    const plan = readPlan(doc);
    expect(plan.goals).toMatchObject([{ id: goalId, text: "Vi vil ha en trygg bolig", domainId: "bolig" }]);
    expect(plan.measures).toMatchObject([
      { id, title: "Søke kommunal bolig", goalId, responsibleUnitId: UNIT, responsiblePersonId: PERSON, deadline: "2026-09-01", status: "in_progress", description: "" },
    ]);
    removeMeasure(doc, id);
    expect(readPlan(doc).measures).toEqual([]);
  });

  it("refuses invalid input from the writers", () => {
    const doc = seeded();
    expect(() => addMeasure(doc, { title: "  " })).toThrow(PlanValidationError);
    expect(() => addMeasure(doc, { title: "x", deadline: "2026-02-30" })).toThrow(/deadline/);
    expect(() => addMeasure(doc, { title: "x", status: "done" as never })).toThrow(/status/);
    expect(() => addMeasure(doc, { title: "x", domainId: "nope" })).toThrow(/domain/);
    expect(() => addMeasure(doc, { title: "x", responsibleUnitId: "not-an-id" })).toThrow(/responsibleUnitId/);
    expect(() => updateMeasure(doc, "missing", { title: "y" })).toThrow(/unknown measure/);
  });

  it("concurrent edits of different fields of one measure both survive", () => {
    const a = seeded();
    const id = addMeasure(a, { title: "Leksehjelp" });
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    updateMeasure(a, id, { status: "in_progress" });
    updateMeasure(b, id, { deadline: "2026-10-01" });
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readPlan(a).measures[0]).toMatchObject({ status: "in_progress", deadline: "2026-10-01" });
    expect(readPlan(a)).toEqual(readPlan(b));
  });

  it("a malformed document never throws: invalid entries are skipped or repaired", () => {
    const doc = seeded();
    const measures = planTypes.measures(doc) as unknown as Y.Map<unknown>;
    const goals = planTypes.goals(doc) as unknown as Y.Map<unknown>;
    doc.transact(() => {
      measures.set("not-a-map", "just a string");
      measures.set("array", new Y.Array());
      const noTitle = new Y.Map<unknown>();
      measures.set("no-title", noTitle);
      noTitle.set("status", "in_progress");
      const garbage = new Y.Map<unknown>();
      measures.set("garbage", garbage);
      garbage.set("title", "Gyldig tittel");
      garbage.set("status", 42);
      garbage.set("deadline", "tomorrow");
      garbage.set("evaluationDate", "2026-13-01");
      garbage.set("responsibleUnitId", { evil: true });
      garbage.set("responsiblePersonId", "robert'); drop table");
      garbage.set("domainId", "no-such-domain");
      garbage.set("order", Number.NaN);
      garbage.set("description", 17);
      const emptyGoal = new Y.Map<unknown>();
      goals.set("empty", emptyGoal);
      emptyGoal.set("text", "   ");
      planTypes.meta(doc).set("schemaVersion", "x");
    });
    const plan = readPlan(doc);
    expect(plan.measures).toEqual([
      {
        id: "garbage",
        title: "Gyldig tittel",
        status: "planned",
        deadline: null,
        evaluationDate: null,
        start: null,
        responsibleUnitId: null,
        responsiblePersonId: null,
        domainId: null,
        goalId: null,
        order: 0,
        description: "",
        evaluationNote: "",
        createdAt: "",
      },
    ]);
    expect(plan.goals).toEqual([]);
    expect(plan.skipped).toBe(4);
    // And the writers still work on top of it.
    updateMeasure(doc, "garbage", { status: "completed" });
    expect(readPlan(doc).measures[0]!.status).toBe("completed");
  });

  it("a measure decided in a meeting keeps its source; a malformed source is ignored, and older measures have none", () => {
    const doc = seeded();
    const src = { meetingId: "7d1e6a4c-2b1f-4c9e-9a55-0f1e2d3c4b5a", agendaItemId: "8e2f7b5d-3c2a-4d0f-8b66-1a2b3c4d5e6f", outcomeId: "9f3a8c6e-4d3b-4e1a-9c77-2b3c4d5e6f7a" };
    const decided = addMeasure(doc, { title: "Fra møtet", source: src });
    const plain = addMeasure(doc, { title: "Fra planen" });
    (planTypes.measures(doc).get(plain) as Y.Map<unknown>).set("source", { meetingId: "x" });
    const byId = new Map(readPlan(doc).measures.map((m) => [m.id, m]));
    expect(byId.get(decided)!.source).toEqual(src);
    expect(byId.get(plain)!.source).toBeUndefined();
    expect(() => addMeasure(doc, { title: "y", source: { ...src, outcomeId: "nope" } })).toThrow(/source/);
  });

  it("reads a document whose top-level types were written as other kinds", () => {
    const doc = new Y.Doc();
    doc.getArray("goals").push(["x"]);
    expect(() => readPlan(doc)).not.toThrow();
  });

  it("replaces the content with an older version as a new change", () => {
    const doc = seeded();
    const keep = addMeasure(doc, { title: "Gammelt tiltak" });
    const p = new Y.XmlElement("paragraph");
    p.insert(0, [new Y.XmlText("Første notat")]);
    planTypes.notes(doc).insert(0, [p]);
    const old = new Y.Doc();
    Y.applyUpdate(old, Y.encodeStateAsUpdate(doc));

    updateMeasure(doc, keep, { title: "Endret" });
    addMeasure(doc, { title: "Nytt tiltak" });
    planTypes.notes(doc).delete(0, 1);

    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    const updates: Uint8Array[] = [];
    doc.on("update", (u: Uint8Array) => updates.push(u));
    replacePlanContent(doc, old);
    expect(updates).toHaveLength(1);
    Y.applyUpdate(replica, updates[0]!);
    for (const d of [doc, replica]) {
      expect(readPlan(d).measures.map((m) => m.title)).toEqual(["Gammelt tiltak"]);
      expect(notesText(d)).toBe("Første notat");
    }
  });
});
