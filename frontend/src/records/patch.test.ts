import { describe, expect, it } from "vitest";
import { applyPatch, diff, parsePath, resolve, same, type Conflict, type Data, type Shape } from "./patch";

const shape: Shape = { fields: ["name_first", "sex", "protection_concerns", "household_adults", "family_details_section"], subforms: new Set(["family_details_section"]) };

const base: Data = {
  id: "c1",
  version: 3,
  name_first: "Amal",
  sex: "female",
  protection_concerns: ["gbv"],
  family_details_section: [
    { unique_id: "r1", relation: "mother", relation_name: "Sara" },
    { unique_id: "r2", relation: "father", relation_name: "Omar" },
  ],
};

describe("same", () => {
  it("treats every empty value alike and compares deeply", () => {
    expect(same(undefined, "")).toBe(true);
    expect(same(null, [])).toBe(true);
    expect(same(["a"], ["a"])).toBe(true);
    expect(same({ a: 1, b: "" }, { a: 1 })).toBe(true);
    expect(same(["a"], ["b"])).toBe(false);
    expect(same(0, "")).toBe(false);
  });
});

describe("diff", () => {
  it("is empty when nothing changed (core attributes are not fields)", () => {
    expect(diff(base, { ...base, version: 9, name_first: "Amal" }, shape)).toEqual({});
  });

  it("sends changed fields, null for a removed value, and only the changed rows", () => {
    const values: Data = {
      ...base,
      name_first: "Amal B.",
      sex: "",
      household_adults: 2,
      family_details_section: [
        { unique_id: "r1", relation: "mother", relation_name: "Sarah" },
        { unique_id: "r3", relation: "brother", relation_name: "", relation_age: 9 },
      ],
    };
    expect(diff(base, values, shape)).toEqual({
      name_first: "Amal B.",
      sex: null,
      household_adults: 2,
      family_details_section: [
        { unique_id: "r1", relation_name: "Sarah" },
        { unique_id: "r3", relation: "brother", relation_age: 9 },
        { unique_id: "r2", _destroy: true },
      ],
    });
  });
});

describe("applyPatch", () => {
  it("applies a diff to the version it came from, giving the edited data", () => {
    const values: Data = {
      ...base,
      protection_concerns: ["gbv", "neglect"],
      family_details_section: [{ unique_id: "r2", relation: "father", relation_name: "Omar", relation_age: 40 }],
    };
    const p = diff(base, values, shape);
    const applied = applyPatch(base, p, shape);
    expect(diff(applied, values, shape)).toEqual({});
  });

  it("merges row changes into another version's rows", () => {
    const theirs: Data = { ...base, family_details_section: [...(base.family_details_section as Data[]), { unique_id: "r9", relation: "aunt" }] };
    const out = applyPatch(theirs, { family_details_section: [{ unique_id: "r1", relation_name: null }] }, shape);
    expect(out.family_details_section).toEqual([
      { unique_id: "r1", relation: "mother" },
      { unique_id: "r2", relation: "father", relation_name: "Omar" },
      { unique_id: "r9", relation: "aunt" },
    ]);
  });
});

describe("parsePath", () => {
  it("reads fields, rows and row fields", () => {
    expect(parsePath("sex")).toEqual({ field: "sex", row: undefined, rowField: undefined });
    expect(parsePath("family_details_section[r1]")).toEqual({ field: "family_details_section", row: "r1", rowField: undefined });
    expect(parsePath("family_details_section[r1].relation_age")).toEqual({ field: "family_details_section", row: "r1", rowField: "relation_age" });
  });
});

describe("resolve", () => {
  // I changed the first name, sex and mother's name; meanwhile the other person changed
  // the first name and the mother's name too, and added a note field.
  const mine: Data = {
    ...base,
    name_first: "Amel",
    sex: "male",
    family_details_section: [
      { unique_id: "r1", relation: "mother", relation_name: "Sarah" },
      { unique_id: "r2", relation: "father", relation_name: "Omar" },
    ],
  };
  const current: Data = {
    ...base,
    version: 4,
    name_first: "Amaal",
    household_adults: 3,
    family_details_section: [
      { unique_id: "r1", relation: "mother", relation_name: "Sahra" },
      { unique_id: "r2", relation: "father", relation_name: "Omar" },
    ],
  };
  const conflicts: Conflict[] = [
    { path: "name_first", base: "Amal", theirs: "Amaal", yours: "Amel" },
    { path: "family_details_section[r1].relation_name", base: "Sara", theirs: "Sahra", yours: "Sarah" },
  ];
  const p = diff(base, mine, shape);

  it("keeps my typing where I choose mine, theirs elsewhere, and my changes that did not conflict", () => {
    const out = resolve(current, mine, p, conflicts, { name_first: "yours", "family_details_section[r1].relation_name": "theirs" }, shape);
    expect(out.name_first).toBe("Amel");
    expect(out.sex).toBe("male"); // mine, no conflict
    expect(out.household_adults).toBe(3); // theirs, no conflict
    expect((out.family_details_section as Data[])[0].relation_name).toBe("Sahra");
    expect(out.version).toBe(4); // the new base is the current version
  });

  it("takes theirs everywhere when asked", () => {
    const out = resolve(current, mine, p, conflicts, { name_first: "theirs", "family_details_section[r1].relation_name": "theirs" }, shape);
    expect(out.name_first).toBe("Amaal");
    expect(out.sex).toBe("male");
  });

  it("brings back a row the other person removed when I keep my edits to it", () => {
    const gone: Data = { ...current, family_details_section: [{ unique_id: "r1", relation: "mother", relation_name: "Sara" }] };
    const mine2: Data = { ...base, family_details_section: [(base.family_details_section as Data[])[0], { unique_id: "r2", relation: "father", relation_name: "Omar Ali" }] };
    const c: Conflict[] = [{ path: "family_details_section[r2]", base: (base.family_details_section as Data[])[1], yours: { relation_name: "Omar Ali" }, reason: "removed by them" }];
    const out = resolve(gone, mine2, diff(base, mine2, shape), c, { "family_details_section[r2]": "yours" }, shape);
    expect(out.family_details_section).toEqual([
      { unique_id: "r1", relation: "mother", relation_name: "Sara" },
      { unique_id: "r2", relation: "father", relation_name: "Omar Ali" },
    ]);
    const dropped = resolve(gone, mine2, diff(base, mine2, shape), c, { "family_details_section[r2]": "theirs" }, shape);
    expect(dropped.family_details_section).toEqual([{ unique_id: "r1", relation: "mother", relation_name: "Sara" }]);
  });
});
