import { describe, expect, it } from "vitest";
import { UploadQueue, type Sender } from "./uploadQueue";

const file = (name: string, size = 10) => new File(["x".repeat(size)], name, { type: "image/jpeg" });
const target = { resource: "cases", recordId: "rec-1" };

/** A stand-in for the attachments API: answers each path in turn, recording what was sent. */
function server(answers: { status: number; body?: unknown }[]) {
  const sent: string[] = [];
  const progress: ((n: number) => void)[] = [];
  const send: Sender = (path, f, onProgress) => {
    sent.push(path);
    progress.push(onProgress);
    onProgress(f.size / 2);
    const a = answers.shift() ?? { status: 201 };
    return { done: Promise.resolve({ status: a.status, body: a.body }) };
  };
  return { send, sent };
}

describe("UploadQueue", () => {
  it("sends a field's files in order with what was said of them, and forgets each one the server took", async () => {
    const api = server([]);
    const uploaded: string[] = [];
    const q = new UploadQueue(api.send, (_t, field) => uploaded.push(field));
    const done = q.add(target, "photos", [{ file: file("a.jpg"), note: { description: "Front", date: "2026-11-30" } }, { file: file("b.jpg") }]);
    expect(q.field("rec-1", "photos").map((u) => [u.name, u.state])).toEqual([
      ["a.jpg", "uploading"],
      ["b.jpg", "uploading"],
    ]);
    expect(q.summary("rec-1")).toEqual({ uploading: 2, failed: [] });
    await done;
    expect(api.sent).toEqual([
      "/api/v2/cases/rec-1/attachments?field_name=photos&file_name=a.jpg&description=Front&date=2026-11-30",
      "/api/v2/cases/rec-1/attachments?field_name=photos&file_name=b.jpg",
    ]);
    expect(uploaded).toEqual(["photos", "photos"]);
    expect(q.field("rec-1", "photos")).toEqual([]);
  });

  it("keeps a refused file with the API's reason, the others go on, and a retry sends it again", async () => {
    const api = server([{ status: 413 }, { status: 201 }, { status: 201 }]);
    const q = new UploadQueue(api.send, () => {});
    await q.add(target, "photos", [{ file: file("big.jpg") }, { file: file("ok.jpg") }]);
    const [failed] = q.field("rec-1", "photos");
    expect(failed).toMatchObject({ name: "big.jpg", state: "failed", error: { kind: "too-large" } });
    expect(q.summary("rec-1")).toEqual({ uploading: 0, failed: [{ field: "photos", count: 1 }] });
    expect(q.summary("rec-2")).toEqual({ uploading: 0, failed: [] });
    await q.retry(target, "photos", failed.key);
    expect(api.sent).toHaveLength(3);
    expect(q.field("rec-1", "photos")).toEqual([]);
  });

  it("shows a file refused before sending, without retry, until dismissed", async () => {
    const api = server([]);
    const q = new UploadQueue(api.send, () => {});
    q.refuse("rec-1", "photos", file("x.pdf"), { kind: "type", detected: "application/pdf" });
    const [u] = q.field("rec-1", "photos");
    await q.retry(target, "photos", u.key);
    expect(api.sent).toEqual([]);
    q.dismiss("rec-1", "photos", u.key);
    expect(q.field("rec-1", "photos")).toEqual([]);
  });

  it("reports progress and a network failure", async () => {
    const api = server([{ status: 0 }]);
    const q = new UploadQueue(api.send, () => {});
    let seen = 0;
    q.subscribe(() => (seen = Math.max(seen, q.field("rec-1", "audio")[0]?.sent ?? 0)));
    await q.add(target, "audio", [{ file: file("r.m4a", 40) }]);
    expect(seen).toBe(20);
    expect(q.field("rec-1", "audio")[0].error).toEqual({ kind: "network" });
  });
});
