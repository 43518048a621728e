// Problems (RFC 9457) from the API placed at the fields of a form.
import { describe, expect, it } from "vitest";
import { activate } from "../i18n";
import { languageHeader } from "./client";
import { ApiError, errorMessage, mapProblem, problemMessage, toFieldPath, type Problem } from "./problem";

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

describe("problems by code, in the app's language", () => {
  const problem = (status: number, code?: string, detail = "server text") => ({ type: "about:blank", status, code, title: "Title", detail });

  it("words conflicts itself: stale (412), configuration changed (412), edit conflict (409)", async () => {
    await activate("fr");
    expect(new ApiError(412, problem(412, "stale")).message).toContain("Quelqu'un d'autre");
    expect(problemMessage(412, problem(412, "configuration_changed"))).toContain("configuration");
    expect(problemMessage(409, problem(409, "edit_conflict"))).not.toBe("server text");
    await activate("en");
    expect(problemMessage(412, problem(412, "stale"))).toBe("Someone else saved a change since you opened this. Load it again to see theirs, then make yours again.");
  });

  it("words a missing precondition (428), rate limits (429) and the session's end (401)", async () => {
    await activate("ar");
    expect(problemMessage(428, problem(428, "precondition_required"))).toMatch(/[\u0600-\u06FF]/);
    expect(problemMessage(429, problem(429, "rate_limited"))).toMatch(/[\u0600-\u06FF]/);
    expect(problemMessage(401, problem(401, "unauthenticated"))).toMatch(/[\u0600-\u06FF]/);
    const mapped = mapProblem(problem(429, "rate_limited"), []);
    expect(mapped.form).toEqual([problemMessage(429, problem(429, "rate_limited"))]);
    await activate("en");
  });

  it("words server failures by code, and a proxy's answers without a code by status", async () => {
    await activate("es");
    expect(problemMessage(500, problem(500, "internal"))).toMatch(/servidor/);
    expect(problemMessage(503, {} as Problem)).toMatch(/servidor/);
    expect(problemMessage(504, { type: "about:blank" })).toMatch(/servidor/);
    expect(problemMessage(418, {} as Problem)).toBe("HTTP 418");
    await activate("en");
  });

  it("keeps the server's text for codes it words with details (a count, a field, an agency pair)", async () => {
    await activate("ar");
    const inUse = { type: "about:blank", status: 409, code: "locale_in_use", detail: "عضوان ما زالا يستخدمان اللغة sw" };
    const err = new ApiError(409, inUse, "ar");
    expect(err.message).toBe(inUse.detail);
    expect(err.lang).toBe("ar");
    expect(problemMessage(403, problem(403, "sharing_protocol", "not allowed from a to b"))).toBe("not allowed from a to b");
    expect(problemMessage(404, { type: "about:blank", status: 404, code: "not_found", title: "Not Found" })).toBe("Not Found");
    await activate("en");
  });

  it("keeps the server's Arabic text for the conflict and refusal families (session 21) and a body that is not JSON", async () => {
    await activate("ar");
    for (const [status, code, detail] of [
      [409, "already_exists", "يوجد موقع بالرمز ZZ1 بالفعل."],
      [409, "transition_state", "حالة طلب النقل: «مقبولة»؛ لا يمكن رفضها."],
      [409, "record_disabled", "السجل معطّل: فعّله قبل تعديله."],
      [403, "transition_forbidden", "يسمح دورك بإسناد الحالات إلى مستخدمي وكالتك فقط."],
      [403, "beyond_role", "لا يمكنك تعديل هذا (هذا المستخدم: دوره): نطاقه يتجاوز نطاقك (لديه roles:write وليست لدى دورك)."],
      // Session 24: removing locations records use, each count in its plural form.
      [409, "location_in_use", "توجد سجلات تستخدم الموقع KE02 (سجلان): عطّله بدلًا من ذلك."],
    ] as const) {
      expect(new ApiError(status, problem(status, code, detail), "ar").message).toBe(detail);
    }
    const mapped = mapProblem(
      {
        type: "about:blank",
        status: 400,
        code: "bad_request",
        detail: "نص الطلب ليس JSON صالحًا.",
        errors: [{ code: "json_syntax", location: "body", message: "ليس JSON صالحًا: محرف غير متوقع }", params: { character: "}" } }],
      },
      ["code"],
    );
    expect(mapped.form).toEqual(["ليس JSON صالحًا: محرف غير متوقع }"]);
    await activate("en");
  });

  it("words network failures: offline, or the server unreachable", async () => {
    await activate("fr");
    const online = Object.getOwnPropertyDescriptor(Navigator.prototype, "onLine") ?? Object.getOwnPropertyDescriptor(navigator, "onLine");
    try {
      Object.defineProperty(navigator, "onLine", { configurable: true, get: () => false });
      expect(errorMessage(new TypeError("Failed to fetch"))).toMatch(/hors ligne/);
      Object.defineProperty(navigator, "onLine", { configurable: true, get: () => true });
      expect(errorMessage(new TypeError("Failed to fetch"))).toMatch(/serveur/);
    } finally {
      if (online) Object.defineProperty(navigator, "onLine", online);
    }
    expect(errorMessage(new ApiError(429, problem(429, "rate_limited")))).toMatch(/tentatives/);
    expect(errorMessage(new Error("something else"))).toBe("something else");
    await activate("en");
  });

  it("sends the app's language as Accept-Language", async () => {
    await activate("ar");
    const request = new Request("http://localhost/api/v2/users/me");
    const out = (await languageHeader.onRequest!({ request } as never)) as Request;
    expect(out.headers.get("Accept-Language")).toBe("ar");
    await activate("en");
  });
});

describe("reasons of bad values (errors[]), worded by the server", () => {
  it("shows each reason as the server wrote it in the member's language, whatever its code and parameters", async () => {
    await activate("fr");
    const mapped = mapProblem(
      {
        type: "about:blank",
        status: 422,
        code: "invalid",
        title: "Unprocessable Entity",
        detail: "La requête n'est pas valide.",
        errors: [
          { code: "unknown_reference", location: "body.role_unique_id", message: "ce rôle n'existe pas", value: "role-x" },
          { code: "length", location: "body.full_name", message: "doit compter de 1 à 200 caractères", params: { min: "1", max: "200" } },
          { code: "one_of", location: "query.order", message: "doit être asc ou desc" },
        ],
      },
      ["role_unique_id", "full_name"],
    );
    expect(mapped.fields).toEqual({ role_unique_id: "ce rôle n'existe pas", full_name: "doit compter de 1 à 200 caractères" });
    expect(mapped.form).toEqual(["doit être asc ou desc"]);
    await activate("en");
  });
});
