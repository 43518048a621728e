// Typing as a person does in component tests: the value set the way the
// browser sets it (React reads the native setter), then the event React
// listens to (change for a select, input otherwise).
import { act } from "react";

/** type puts value in el and fires the event a person's typing fires. */
export function type(el: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: string) {
  const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  act(() => {
    Object.getOwnPropertyDescriptor(proto, "value")!.set!.call(el, value);
    el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
  });
}

/** typeDate types an ISO date into a date field (components/DateField.tsx) from any of its boxes: day, month, then year. */
export function typeDate(box: HTMLElement, iso: string) {
  const group = box.closest("[data-date-field]")!;
  const [year, month, day] = iso.split("-");
  for (const [part, v] of [["day", day], ["month", month], ["year", year]]) type(group.querySelector<HTMLInputElement>(`[data-part="${part}"]`)!, v);
}
