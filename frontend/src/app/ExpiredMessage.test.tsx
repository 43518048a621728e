// The expired-session message words the lifespan Kratos gave the session
// (its configured limit), with each language's plural forms.
import { afterEach, describe, expect, it } from "vitest";
import { act } from "react";
import type { Root } from "react-dom/client";
import { attach } from "../testing/attach";
import { I18nProvider } from "@lingui/react";
import { activate, i18n } from "../i18n";
import { ExpiredMessage, IdleMessage, SessionLimits } from "./ExpiredMessage";
import { lifespanParts, rememberedLimits, rememberLimits, sessionLifespan } from "./sessionEnd";

let root: Root | undefined;
let host: HTMLElement;
afterEach(async () => {
  await activate("en");
  localStorage.clear();
});

function text(lifespan?: number) {
  ({ host, root } = attach());
  act(() => root!.render(<I18nProvider i18n={i18n}>{<ExpiredMessage lifespan={lifespan} />}</I18nProvider>));
  return host.textContent;
}

function idleText(idleLimit?: number) {
  ({ host, root } = attach());
  act(() => root!.render(<I18nProvider i18n={i18n}>{<IdleMessage idleLimit={idleLimit} />}</I18nProvider>));
  return host.textContent;
}

const hour = 3_600_000;

describe("the expired-session message", () => {
  it("reads the lifespan from Kratos' session: issue to expiry", () => {
    expect(sessionLifespan({ issued_at: "2026-12-02T08:00:00Z", expires_at: "2026-12-02T20:00:00Z" })).toBe(12 * hour);
    expect(sessionLifespan({ authenticated_at: "2026-12-02T08:00:00.200Z", expires_at: "2026-12-02T08:01:30.200Z" })).toBe(90_000);
    expect(sessionLifespan({ expires_at: "2026-12-02T20:00:00Z" })).toBeUndefined();
  });

  it("words a lifespan in whole hours, else whole minutes, else seconds", () => {
    expect(lifespanParts(12 * hour)).toEqual({ unit: "hour", n: 12 });
    expect(lifespanParts(hour)).toEqual({ unit: "hour", n: 1 });
    expect(lifespanParts(12 * hour - 300)).toEqual({ unit: "hour", n: 12 }); // to the nearest second
    expect(lifespanParts(90 * 60_000)).toEqual({ unit: "minute", n: 90 });
    expect(lifespanParts(90_000)).toEqual({ unit: "second", n: 90 });
  });

  it("says the configured lifespan in English, singular and plural, and 12 hours when Kratos did not say", async () => {
    await activate("en");
    expect(text(8 * hour)).toBe("For your security, a session lasts at most 8 hours. Sign in again to continue.");
    expect(text(hour)).toBe("For your security, a session lasts at most 1 hour. Sign in again to continue.");
    expect(text(45 * 60_000)).toBe("For your security, a session lasts at most 45 minutes. Sign in again to continue.");
    expect(text(90_000)).toBe("For your security, a session lasts at most 90 seconds. Sign in again to continue.");
    expect(text()).toContain("at most 12 hours");
  });

  it("uses Arabic's plural forms (one, two, few, many), and French's and Spanish's", async () => {
    await activate("ar");
    expect(text(hour)).toContain("ساعة واحدة");
    expect(text(2 * hour)).toContain("ساعتين");
    expect(text(8 * hour)).toContain("ساعات");
    expect(text(12 * hour)).toMatch(/12 ساعة/);
    expect(text(90_000)).toMatch(/90 ثانية/);
    await activate("fr");
    expect(text(hour)).toContain("1 heure.");
    expect(text(12 * hour)).toContain("12 heures.");
    await activate("es");
    expect(text(1 * 60_000)).toContain("1 minuto.");
    expect(text(12 * hour)).toContain("12 horas.");
  });
});

describe("the idle-session message", () => {
  it("says the server's idle limit (get-system-settings), 30 minutes when it was not read", async () => {
    await activate("en");
    expect(idleText(15 * 60_000)).toBe("For your security, you were signed out after 15 minutes without activity. Sign in again to continue where you were.");
    expect(idleText(hour)).toContain("after 1 hour without activity");
    expect(idleText(45_000)).toContain("after 45 seconds without activity");
    expect(idleText()).toContain("after 30 minutes without activity");
  });

  it("uses each language's plural forms", async () => {
    await activate("ar");
    expect(idleText(60_000)).toContain("دقيقة واحدة");
    expect(idleText(2 * 60_000)).toContain("دقيقتين");
    expect(idleText(5 * 60_000)).toContain("دقائق");
    await activate("fr");
    expect(idleText(60_000)).toContain("après 1 minute d’inactivité");
    expect(idleText(20 * 60_000)).toContain("après 20 minutes d’inactivité");
    await activate("es");
    expect(idleText(hour)).toContain("tras 1 hora sin actividad");
  });
});

describe("the limits said without a session (the offline unlock page)", () => {
  const limitsText = () => {
    ({ host, root } = attach());
    act(() => root!.render(<I18nProvider i18n={i18n}>{<SessionLimits />}</I18nProvider>));
    return host.textContent;
  };

  it("says the limits last seen while signed in, the defaults before any", async () => {
    await activate("en");
    expect(limitsText()).toBe("A session lasts at most 12 hours, and ends after 30 minutes without activity.");
    rememberLimits({ lifespan: 8 * hour });
    rememberLimits({ idleLimit: 15 * 60_000 });
    expect(rememberedLimits()).toEqual({ lifespan: 8 * hour, idleLimit: 15 * 60_000 });
    expect(limitsText()).toBe("A session lasts at most 8 hours, and ends after 15 minutes without activity.");
    rememberLimits({ lifespan: undefined, idleLimit: 0 }); // nothing known: what was seen stays
    expect(rememberedLimits()).toEqual({ lifespan: 8 * hour, idleLimit: 15 * 60_000 });
  });

  it("ignores what is not a limit in storage", () => {
    localStorage.setItem("cpims.sessionLimits", '{"lifespan":"12h","idleLimit":-5}');
    expect(rememberedLimits()).toEqual({ lifespan: undefined, idleLimit: undefined });
    localStorage.setItem("cpims.sessionLimits", "not json");
    expect(rememberedLimits()).toEqual({});
  });

  it("words both limits with each language's plural forms", async () => {
    rememberLimits({ lifespan: 2 * hour, idleLimit: 60_000 });
    await activate("ar");
    const ar = limitsText();
    expect(ar).toContain("ساعتين");
    expect(ar).toContain("دقيقة واحدة");
    await activate("fr");
    expect(limitsText()).toContain("2 heures");
    await activate("es");
    expect(limitsText()).toContain("1 minuto");
  });
});
