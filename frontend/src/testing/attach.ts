// Component tests put what they render on the page with attach(); the setup
// (test-setup.ts) detaches everything after each test.
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";

const attached: { root: Root; host: HTMLElement }[] = [];

/** attach appends a fresh element to the page and makes a React root on it. */
export function attach<K extends keyof HTMLElementTagNameMap = "div">(tag?: K): { host: HTMLElementTagNameMap[K]; root: Root } {
  const host = document.createElement(tag ?? "div") as HTMLElementTagNameMap[K];
  document.body.append(host);
  const root = createRoot(host);
  attached.push({ root, host });
  return { host, root };
}

/** detachAll unmounts every root attach made and removes its element. */
export function detachAll() {
  for (const { root, host } of attached.splice(0)) {
    act(() => root.unmount());
    host.remove();
  }
}
