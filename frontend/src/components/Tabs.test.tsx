// The case view's tabs: one tab stop, arrow keys along the row in the page's
// direction (the next tab is on the left in Arabic), Home and End.
import { afterEach, describe, expect, it } from "vitest";
import { act, useState } from "react";
import type { Root } from "react-dom/client";
import { attach } from "../testing/attach";
import { Tab, TabList, tabKeyTarget } from "./Tabs";

let root: Root | undefined;
let host: HTMLElement;
afterEach(() => {
  document.documentElement.dir = "ltr";
});

const ids = ["record", "transitions", "casework", "history"];

function Row() {
  const [tab, setTab] = useState("record");
  return (
    <TabList label="Case" selected={tab}>
      {ids.map((id) => (
        <Tab key={id} id={id} selected={tab === id} onSelect={() => setTab(id)}>
          {id}
        </Tab>
      ))}
    </TabList>
  );
}

function render() {
  ({ host, root } = attach());
  act(() => root!.render(<Row />));
}

const tabs = () => [...host.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
const selected = () => tabs().find((t) => t.getAttribute("aria-selected") === "true")!.dataset.tab;
const press = (key: string) => act(() => void (document.activeElement as HTMLElement).dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true })));

describe("TabList", () => {
  it("is one tab stop: the selected tab", () => {
    render();
    expect(host.querySelector('[role="tablist"]')!.getAttribute("aria-label")).toBe("Case");
    expect(tabs().map((t) => t.tabIndex)).toEqual([0, -1, -1, -1]);
    act(() => tabs()[2].click());
    expect(tabs().map((t) => t.tabIndex)).toEqual([-1, -1, 0, -1]);
  });

  it("moves to the next tab with the right arrow left to right, wrapping, and Home/End", () => {
    render();
    act(() => tabs()[0].focus());
    press("ArrowRight");
    expect(selected()).toBe("transitions");
    expect(document.activeElement).toBe(tabs()[1]);
    press("ArrowLeft");
    press("ArrowLeft");
    expect(selected()).toBe("history"); // wraps
    press("Home");
    expect(selected()).toBe("record");
    press("End");
    expect(selected()).toBe("history");
    press("a"); // not a key of the pattern
    expect(selected()).toBe("history");
  });

  it("moves to the next tab with the left arrow right to left (Arabic)", () => {
    document.documentElement.dir = "rtl";
    render();
    act(() => tabs()[0].focus());
    press("ArrowLeft");
    expect(selected()).toBe("transitions");
    press("ArrowRight");
    expect(selected()).toBe("record");
    expect(tabKeyTarget("ArrowLeft", 3, 4, true)).toBe(0);
    expect(tabKeyTarget("ArrowRight", 0, 4, false)).toBe(1);
  });
});
