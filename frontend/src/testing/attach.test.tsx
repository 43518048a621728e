import { act } from "react";
import { describe, expect, it } from "vitest";
import { attach } from "./attach";

describe("attach", () => {
  it("puts a rendered element on the page", () => {
    const { host, root } = attach("ol");
    act(() => root.render(<li>one</li>));
    expect(document.body.contains(host)).toBe(true);
    expect(host.tagName).toBe("OL");
    expect(document.body.textContent).toBe("one");
  });
  it("leaves nothing on the page for the next test", () => {
    expect(document.body.children).toHaveLength(0);
  });
});
