import { useEffect, useState } from "react";
import { Trans } from "@lingui/react/macro";
import { optedIn } from "../offline/runtime";

/** OfflineBanner says clearly when the device has no connection. */
export function OfflineBanner() {
  const [online, setOnline] = useState(typeof navigator === "undefined" ? true : navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener("online", on);
    window.addEventListener("offline", off);
    return () => {
      window.removeEventListener("online", on);
      window.removeEventListener("offline", off);
    };
  }, []);
  return (
    <div role="status" aria-live="polite" className={online ? "visually-hidden" : "offline-banner"}>
      {!online &&
        (optedIn() ? (
          <Trans>You are offline. Cases are shown as this device last synced them; changes to cases are kept here and sent when the connection is back.</Trans>
        ) : (
          <Trans>You are offline. What you see may be out of date, and changes cannot be saved until the connection is back.</Trans>
        ))}
    </div>
  );
}
