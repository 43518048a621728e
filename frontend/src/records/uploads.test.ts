import { describe, expect, it } from "vitest";
import { accept, byField, formatSize, kindOf, percent, rebaseOnUploads, retryable, safeName, typeAccepted, uploadError, uploadFields, uploadPath, type Attachment, type Upload } from "./uploads";

const up = (over: Partial<Upload>): Upload => ({ key: "k", name: "a.jpg", size: 1000, sent: 0, state: "uploading", ...over });

describe("upload fields", () => {
  it("knows each field type's kind and what its input accepts", () => {
    expect(kindOf("photo_upload_box")).toBe("photo");
    expect(kindOf("audio_upload_box")).toBe("audio");
    expect(kindOf("document_upload_box")).toBe("document");
    expect(kindOf("text_field")).toBeUndefined();
    expect(accept("photo")).toBe("image/*");
    expect(accept("document")).toContain(".pdf");
  });
  it("refuses a type the kind does not take before sending, and leaves an unknown type to the server", () => {
    expect(typeAccepted("photo", "image/jpeg")).toBe(true);
    expect(typeAccepted("photo", "application/pdf")).toBe(false);
    expect(typeAccepted("document", "application/pdf")).toBe(true);
    expect(typeAccepted("audio", "image/png")).toBe(false);
    expect(typeAccepted("document", "")).toBe(true);
  });
  it("builds the upload request: the field and a plain file name in the query", () => {
    expect(uploadPath("cases", "c-1", "photos", "C:\\phone\\IMG 1.jpg")).toBe("/api/v2/cases/c-1/attachments?field_name=photos&file_name=IMG+1.jpg");
    expect(safeName("dir/\u0007x.png")).toBe("x.png");
    expect(safeName("...")).toBe("file");
    expect([...safeName("é".repeat(300))].length).toBe(255);
  });
});

describe("upload state", () => {
  it("reports progress from the bytes sent", () => {
    expect(percent(up({ sent: 0 }))).toBe(0);
    expect(percent(up({ sent: 499 }))).toBe(49);
    expect(percent(up({ sent: 2000 }))).toBe(100);
    expect(percent(up({ size: 0 }))).toBe(0);
    expect(percent(up({ state: "done", sent: 0 }))).toBe(100);
  });
  it("turns the API's refusals into what the field says", () => {
    expect(uploadError(413, undefined)).toEqual({ kind: "too-large" });
    expect(uploadError(0, undefined)).toEqual({ kind: "network" });
    expect(uploadError(503, { title: "Service Unavailable" })).toEqual({ kind: "storage" });
    expect(uploadError(409, { title: "Conflict" })).toEqual({ kind: "closed" });
    expect(
      uploadError(422, { errors: [{ location: "header.Content-Type", message: 'does not match the file\'s content (declared "image/jpeg", the content is "application/pdf")' }] }),
    ).toEqual({ kind: "type", detected: "application/pdf" });
    // Worded in the caller's language: the type from the detail's params, the limit from its code.
    expect(
      uploadError(422, {
        errors: [{ location: "header.Content-Type", code: "file_type", message: "لا يطابق محتوى الملف", params: { declared: "image/jpeg", detected: "application/pdf" } }],
      }),
    ).toEqual({ kind: "type", detected: "application/pdf" });
    expect(uploadError(422, { errors: [{ location: "query.field_name", code: "max_items", message: "يحتوي هذا الحقل على 10 مرفق على الأكثر" }] })).toEqual({ kind: "too-many" });
    expect(uploadError(422, { errors: [{ location: "query.field_name", message: "this field holds at most 10 attachments: remove one first" }] })).toEqual({ kind: "too-many" });
    expect(uploadError(422, { errors: [{ location: "query.field_name", message: "not an upload field" }] })).toEqual({ kind: "other", message: "not an upload field" });
    expect(uploadError(404, { detail: "not found" })).toEqual({ kind: "other", message: "not found" });
  });
  it("offers to send again only what may pass a second time", () => {
    expect(retryable({ kind: "network" })).toBe(true);
    expect(retryable({ kind: "storage" })).toBe(true);
    expect(retryable({ kind: "too-many" })).toBe(true);
    expect(retryable({ kind: "other", message: "x" })).toBe(true);
    expect(retryable({ kind: "type", detected: "application/pdf" })).toBe(false);
    expect(retryable({ kind: "too-large" })).toBe(false);
    expect(retryable({ kind: "closed" })).toBe(false);
    expect(retryable(undefined)).toBe(false);
  });
  it("orders a field's files as the field lists them (the first photo is the one shown)", () => {
    const a = (id: string, field_name: string) => ({ id, field_name }) as Attachment;
    const all = [a("1", "photos"), a("2", "photos"), a("3", "other_documents")];
    expect(byField(all, "photos", ["2", "1"]).map((x) => x.id)).toEqual(["2", "1"]);
    expect(byField(all, "photos", undefined).map((x) => x.id)).toEqual(["1", "2"]);
  });
  it("formats sizes in the locale", () => {
    expect(formatSize(512, "en")).toBe("512 B");
    expect(formatSize(2048, "en")).toBe("2 KB");
    expect(formatSize(1.5 * 1024 * 1024, "fr")).toBe("1,5 MB");
  });
});

describe("uploads while editing", () => {
  const shape = { fields: ["name", "photos", "other_documents", "family"], subforms: new Set(["family"]) };
  const uploads = uploadFields({ fields: new Map([["name", { name: "name", type: "text_field" }], ["photos", { name: "photos", type: "photo_upload_box" }], ["other_documents", { name: "other_documents", type: "document_upload_box" }]]) });
  const base = { version: 3, name: "Amal", photos: ["p1"], family: [{ unique_id: "r1", relation: "mother" }] };
  it("knows the upload fields", () => {
    expect([...uploads]).toEqual(["photos", "other_documents"]);
  });
  it("moves the edit onto a version that differs only by uploads, with those fields' new values", () => {
    expect(rebaseOnUploads(base, { ...base, version: 4, photos: ["p1", "p2"] }, shape, uploads)).toEqual({ photos: ["p1", "p2"] });
    expect(rebaseOnUploads(base, { ...base, version: 5, photos: ["p1", "p2"], other_documents: ["d1"] }, shape, uploads)).toEqual({ photos: ["p1", "p2"], other_documents: ["d1"] });
  });
  it("leaves the edit where it started when anything else changed (the save then merges)", () => {
    expect(rebaseOnUploads(base, { ...base, version: 4, photos: ["p1", "p2"], name: "Amel" }, shape, uploads)).toBeUndefined();
    expect(rebaseOnUploads(base, { ...base, version: 4, photos: ["p1", "p2"], family: [{ unique_id: "r1", relation: "aunt" }] }, shape, uploads)).toBeUndefined();
    expect(rebaseOnUploads(base, { ...base, version: 4 }, shape, uploads)).toBeUndefined();
  });
});
