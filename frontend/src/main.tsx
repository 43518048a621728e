// The app's entry: choose the language, then render the routes.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { I18nProvider } from "@lingui/react";
import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { activate, i18n, pickLocale, storedLocale } from "./i18n";
import { queryClient, settingsQuery } from "./app/queries";
import { router } from "./router";
import { registerServiceWorker } from "./pwa";
import { api } from "./api/client";
import { checkDevice, offlineMiddleware } from "./offline/runtime";
import "./styles/app.css";

async function start() {
  // Offline data: keeps configuration answers, answers from the device's copy without a network.
  api.use(offlineMiddleware);
  // A copy not synced for too long (or kept in clear by an older app) is wiped before anything reads it.
  await checkDevice().catch(() => false);
  const settings = await queryClient.fetchQuery(settingsQuery).catch(() => undefined);
  await activate(
    pickLocale({ stored: storedLocale(), browser: navigator.languages, available: settings?.locales, fallback: settings?.default_locale }),
  );
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <I18nProvider i18n={i18n}>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </I18nProvider>
    </StrictMode>,
  );
  registerServiceWorker();
}

void start();
