import { describe, expect, it, vi } from "vitest";
import { PendingUploads, sendPending } from "./pending";
import { UploadQueue } from "./uploadQueue";
import { uploadPath } from "./uploads";

const file = (name: string, type: string) => new File(["x"], name, { type });

describe("files chosen before the record exists", () => {
  it("keeps what the field's kind takes, per field, and answers what it refuses", () => {
    const p = new PendingUploads();
    const seen = vi.fn();
    p.subscribe(seen);
    const refused = p.add("photos", "photo", [file("a.jpg", "image/jpeg"), file("b.pdf", "application/pdf"), file("c", "")]);
    expect(refused.map((f) => f.name)).toEqual(["b.pdf"]);
    p.add("other_documents", "document", [file("d.pdf", "application/pdf")]);
    expect(p.byField("photos").map((f) => f.file.name)).toEqual(["a.jpg", "c"]);
    expect(p.byField("other_documents").map((f) => f.file.name)).toEqual(["d.pdf"]);
    expect(seen).toHaveBeenCalledTimes(2);
  });
  it("keeps a description and date per file, and removes one file only", () => {
    const p = new PendingUploads();
    p.add("photos", "photo", [file("a.jpg", "image/jpeg"), file("b.jpg", "image/jpeg")]);
    const [a, b] = p.byField("photos");
    const before = p.all();
    p.describe(a.key, { description: "Front" });
    p.describe(a.key, { date: "2026-11-30" });
    expect(p.all()).not.toBe(before);
    expect(p.byField("photos")[0].note).toEqual({ description: "Front", date: "2026-11-30" });
    p.remove(b.key);
    expect(p.byField("photos").map((f) => f.file.name)).toEqual(["a.jpg"]);
  });
  it("queues a new record's files on their fields, after the create", async () => {
    const p = new PendingUploads();
    p.add("photos", "photo", [file("a.jpg", "image/jpeg"), file("b.jpg", "image/jpeg")]);
    p.add("other_documents", "document", [file("d.pdf", "application/pdf")]);
    p.describe(p.byField("photos")[1].key, { description: "Back" });
    const sent: string[] = [];
    const queue = new UploadQueue((path) => {
      sent.push(path);
      return { done: Promise.resolve({ status: 201, body: {} }) };
    }, () => {});
    await Promise.all(sendPending(queue, { resource: "cases", recordId: "rec-1" }, p.all()));
    // Each field's files in the order chosen (fields go side by side).
    expect(sent.filter((x) => x.includes("field_name=photos"))).toEqual([
      "/api/v2/cases/rec-1/attachments?field_name=photos&file_name=a.jpg",
      "/api/v2/cases/rec-1/attachments?field_name=photos&file_name=b.jpg&description=Back",
    ]);
    expect(sent.filter((x) => !x.includes("field_name=photos"))).toEqual(["/api/v2/cases/rec-1/attachments?field_name=other_documents&file_name=d.pdf"]);
  });
  it("sends the description and date in the upload's query, only when given", () => {
    expect(uploadPath("cases", "c-1", "photos", "a.jpg", { description: "  Front page ", date: "2026-11-30" })).toBe(
      "/api/v2/cases/c-1/attachments?field_name=photos&file_name=a.jpg&description=Front+page&date=2026-11-30",
    );
    expect(uploadPath("cases", "c-1", "photos", "a.jpg", { description: " " })).toBe("/api/v2/cases/c-1/attachments?field_name=photos&file_name=a.jpg");
  });
});
