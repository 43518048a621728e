// Problems (RFC 9457) from the API placed at the fields of a form.
import { describe, expect, it } from "vitest";
import { mapProblem, toFieldPath } from "./problem";

describe("toFieldPath", () => {
  it("turns Huma's locations into form paths", () => {
    expect(toFieldPath("body.email")).toBe("email");
    expect(toFieldPath("body.name.en")).toBe("name.en");
    expect(toFieldPath("body.user_group_unique_ids[2]")).toBe("user_group_unique_ids.2");
    expect(toFieldPath("path.id")).toBe("");
    expect(toFieldPath(undefined)).toBe("");
  });
});

describe("mapProblem", () => {
  it("puts each detail at the longest known field and the rest on the form", () => {
    const mapped = mapProblem(
      {
        type: "about:blank",
        status: 422,
        title: "Unprocessable Entity",
        detail: "validation failed",
        errors: [
          { location: "body.email", message: "expected string to be RFC 5322 email", value: "x" },
          { location: "body.name.fr", message: "too long" },
          { location: "body.user_group_unique_ids[0]", message: "unknown user group" },
          { location: "body.unknown_thing", message: "unexpected property" },
          { location: "query.per", message: "must be at most 500" },
        ],
      },
      ["email", "name", "user_group_unique_ids"],
    );
    expect(mapped.fields).toEqual({ email: "expected string to be RFC 5322 email", name: "too long", user_group_unique_ids: "unknown user group" });
    expect(mapped.form).toEqual(["unknown_thing: unexpected property", "must be at most 500"]);
  });

  it("prefers the exact field when the form has it, and joins two messages for one field", () => {
    const mapped = mapProblem(
      { type: "about:blank", status: 422, errors: [{ location: "body.name.fr", message: "too long" }, { location: "body.name.fr", message: "not Latin" }] },
      ["name", "name.fr"],
    );
    expect(mapped.fields).toEqual({ "name.fr": "too long not Latin" });
  });

  it("shows a problem without details on the form (409 conflict, 403)", () => {
    expect(mapProblem({ type: "about:blank", status: 409, title: "Conflict", detail: "a user with this email already exists." }, ["email"])).toEqual({
      fields: {},
      form: ["a user with this email already exists."],
    });
    expect(mapProblem({ type: "about:blank", status: 403, title: "Forbidden" }, []).form).toEqual(["Forbidden"]);
  });
});
