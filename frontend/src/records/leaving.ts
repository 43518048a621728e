// The browser's "leave the page?" question while files chosen here would be
// lost (not sent yet, and not kept on the device).
import { useEffect, useRef } from "react";

/**
 * useWarnBeforeLeaving asks the browser to confirm leaving or reloading the
 * page while unsent() is true (read when the person leaves, not at render).
 */
export function useWarnBeforeLeaving(unsent: () => boolean) {
  const check = useRef(unsent);
  check.current = unsent;
  useEffect(() => {
    const onLeave = (e: BeforeUnloadEvent) => {
      if (!check.current()) return;
      e.preventDefault();
      // (Older browsers need returnValue set; the text itself is the browser's own.)
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", onLeave);
    return () => window.removeEventListener("beforeunload", onLeave);
  }, []);
}
