// The service worker caches the app shell, so the app opens without a
// connection (it then says it is offline); it never caches API answers.
import { registerSW } from "virtual:pwa-register";

export function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  registerSW({ immediate: false });
}
