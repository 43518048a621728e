// A row of tabs that stays one line at any width: on a phone the row
// scrolls sideways (records.css .tabs) instead of stacking the tabs one per
// line, and the selected tab is scrolled into view. The keyboard follows the
// ARIA tabs pattern: one tab stop (the selected tab), the arrow keys move
// along the row in the page's direction (in Arabic the next tab is on the
// left), Home and End go to the first and the last.
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from "react";

export function TabList({ label, selected, children }: { label: string; selected: string; children: ReactNode }) {
  const list = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const tab = list.current?.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]');
    // "nearest": no scrolling when the tab is already in view, and the page itself does not jump.
    tab?.scrollIntoView?.({ block: "nearest", inline: "nearest" });
  }, [selected]);
  return (
    <div ref={list} className="tabs" role="tablist" aria-label={label} onKeyDown={(e) => moveFocus(e, list.current)}>
      {children}
    </div>
  );
}

/** Tab is one tab of a TabList; only the selected one is in the Tab order. */
export function Tab({ id, selected, onSelect, children }: { id: string; selected: boolean; onSelect: () => void; children: ReactNode }) {
  return (
    <button type="button" role="tab" aria-selected={selected} tabIndex={selected ? 0 : -1} className="tab" data-tab={id} onClick={onSelect}>
      {children}
    </button>
  );
}

/** tabKeyTarget is the index the key moves to from index i of n tabs (undefined: not a key of the pattern). */
export function tabKeyTarget(key: string, i: number, n: number, rtl: boolean): number | undefined {
  const next = rtl ? "ArrowLeft" : "ArrowRight";
  const previous = rtl ? "ArrowRight" : "ArrowLeft";
  switch (key) {
    case next:
      return (i + 1) % n;
    case previous:
      return (i - 1 + n) % n;
    case "Home":
      return 0;
    case "End":
      return n - 1;
  }
  return undefined;
}

function moveFocus(e: KeyboardEvent, list: HTMLElement | null) {
  if (!list) return;
  const tabs = [...list.querySelectorAll<HTMLElement>('[role="tab"]')];
  const i = tabs.indexOf(e.target as HTMLElement);
  if (i < 0) return;
  // The nearest dir attribute (the document's, set by i18n.ts): happy-dom and old browsers may not compute direction.
  const rtl = list.closest("[dir]")?.getAttribute("dir") === "rtl" || getComputedStyle(list).direction === "rtl";
  const to = tabKeyTarget(e.key, i, tabs.length, rtl);
  if (to === undefined) return;
  e.preventDefault();
  tabs[to].focus();
  tabs[to].click(); // automatic activation: the panel follows the focus
}
