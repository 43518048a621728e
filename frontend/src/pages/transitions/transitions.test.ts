import { describe, expect, it } from "vitest";
import { answersOf, queueLink, queueQuery } from "./transitions";

describe("queueQuery", () => {
  it("asks for the pending items addressed to me by default", () => {
    expect(queueQuery({}, 20)).toEqual({ direction: "in", status: "pending", page: 1, per: 20 });
  });
  it("passes the direction, type, status and page of the URL", () => {
    expect(queueQuery({ direction: "out", type: "transfer", status: "rejected", page: "3" }, 20)).toEqual({
      direction: "out",
      status: "rejected",
      type: "transfer",
      page: 3,
      per: 20,
    });
  });
  it("ignores what the API would refuse (an unknown type, status or direction, a bad page)", () => {
    expect(queueQuery({ direction: "sideways", type: "assign", status: "open", page: "-1" }, 20)).toEqual({ direction: "in", status: "pending", page: 1, per: 20 });
    expect(queueQuery({ page: "abc" }, 50).page).toBe(1);
  });
});

describe("answersOf", () => {
  const base = { may_answer: false, may_revoke: false };
  it("offers accept and reject to who may answer a pending item, and done for a referral", () => {
    expect(answersOf({ ...base, type: "transfer", status: "in_progress", may_answer: true })).toEqual(["accepted", "rejected"]);
    expect(answersOf({ ...base, type: "referral", status: "in_progress", may_answer: true })).toEqual(["accepted", "rejected", "done"]);
    expect(answersOf({ ...base, type: "referral", status: "accepted", may_answer: true })).toEqual(["done"]);
  });
  it("offers revoke to the sender only, and nothing the API does not allow", () => {
    expect(answersOf({ ...base, type: "transfer_request", status: "in_progress", may_revoke: true })).toEqual(["revoked"]);
    expect(answersOf({ ...base, type: "referral", status: "in_progress" })).toEqual([]);
    expect(answersOf({ ...base, type: "transfer", status: "rejected" })).toEqual([]);
  });
});

describe("queueLink", () => {
  it("links Home's counts to the queue's filters", () => {
    expect(queueLink("in", "referral")).toEqual({ type: "referral" });
    expect(queueLink("out", "transfer")).toEqual({ direction: "out", type: "transfer" });
    expect(queueLink("in")).toEqual({});
  });
});
