// readAgain: a change committed while a query's first read is on its way is
// read again, not lost to the read that started before it.
import { describe, expect, it } from "vitest";
import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { readAgain } from "./queries";

/** A query function whose answers the test releases one by one, each the server's state when it was asked. */
function server() {
  let files: string[] = [];
  const waiting: (() => void)[] = [];
  let asked = 0;
  return {
    commit: (f: string) => (files = [...files, f]),
    asked: () => asked,
    release: () => waiting.shift()?.(),
    fn: () => {
      asked++;
      const answer = [...files]; // what the server had when asked
      return new Promise<string[]>((resolve) => waiting.push(() => resolve(answer)));
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

/** watched: a client whose query of key is shown (an observer), answered by the test's server; its first read asked. */
async function watched(key: unknown[]) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 0 } } });
  const s = server();
  const off = new QueryObserver(qc, { queryKey: key, queryFn: s.fn }).subscribe(() => {});
  await settle();
  return { qc, s, off };
}

describe("readAgain", () => {
  it("reads again a query whose first read started before the change", async () => {
    const { qc, s, off } = await watched(["attachments", "r1"]);
    expect(s.asked()).toBe(1); // the first read is on its way, from before the upload
    s.commit("face.png");
    const done = readAgain(qc, ["attachments", "r1"]);
    await settle();
    s.release(); // the first read answers (cancelled: its answer is not kept)
    s.release();
    await done;
    await settle();
    expect(s.asked()).toBe(2);
    expect(qc.getQueryData(["attachments", "r1"])).toEqual(["face.png"]);
    off();
  });

  it("without it, invalidating joins the first read and the change is lost (what it prevents)", async () => {
    const { qc, s, off } = await watched(["attachments", "r1"]);
    s.commit("face.png");
    const done = qc.invalidateQueries({ queryKey: ["attachments", "r1"] });
    await settle();
    s.release();
    await done;
    await settle();
    expect(s.asked()).toBe(1);
    expect(qc.getQueryData(["attachments", "r1"])).toEqual([]);
    off();
  });

  it("reads a settled query again, and leaves an unwatched one to its next showing", async () => {
    const { qc, s, off } = await watched(["history", "r1"]);
    s.release();
    await settle();
    s.commit("v2");
    const done = readAgain(qc, ["history", "r1"], ["record", "case", "r1"]);
    await settle();
    s.release();
    await done;
    expect(qc.getQueryData(["history", "r1"])).toEqual(["v2"]);
    expect(qc.getQueryState(["record", "case", "r1"])).toBeUndefined();
    off();
  });
});
