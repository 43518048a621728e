// The person's time zone: their own (users.time_zone), else the instance's
// default (system_settings.time_zone). Times the app shows (saved at, sent at,
// a date and time field) are formatted in it, not in the device's zone: a
// caseworker travelling with a phone set to another zone sees the times their
// colleagues see. Dates without a time (a date of birth, a due day) are days,
// not instants, and are shown as they are.
import { useSyncExternalStore } from "react";

let zone: string | undefined;
const listeners = new Set<() => void>();

/** activeTimeZone is the zone times are shown in (undefined: the device's, before the account is read). */
export function activeTimeZone(): string | undefined {
  return zone;
}

/**
 * setTimeZone applies the person's own zone, else the instance's default;
 * a name the browser does not know leaves the device's zone.
 */
export function setTimeZone(own: string | undefined | null, instance: string | undefined | null): void {
  const next = [own, instance].find((z) => !!z && isKnownZone(z)) || undefined;
  if (next === zone) return;
  zone = next;
  for (const l of listeners) l();
}

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** useTimeZone re-renders its component when the active zone changes. */
export function useTimeZone(): string | undefined {
  return useSyncExternalStore(subscribe, activeTimeZone, activeTimeZone);
}

/** isKnownZone reports whether Intl can format in zone z. */
export function isKnownZone(z: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: z });
    return true;
  } catch {
    return false;
  }
}

let zones: string[] | undefined;

/**
 * timeZones lists the IANA zones the browser knows (Intl.supportedValuesOf),
 * with UTC, which browsers leave out of that list though the server takes it.
 */
export function timeZones(): string[] {
  if (!zones) {
    const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
    const list = intl.supportedValuesOf ? intl.supportedValuesOf("timeZone") : [];
    zones = list.includes("UTC") ? list : ["UTC", ...list];
  }
  return zones;
}

/**
 * zoneLabel words zone z for a list a person searches by city: "America/New
 * York (UTC−05:00)", with the offset at date now in the language locale.
 */
export function zoneLabel(z: string, locale: string, now: Date = new Date()): string {
  let offset = "";
  try {
    offset = new Intl.DateTimeFormat(locale, { timeZone: z, timeZoneName: "longOffset" }).formatToParts(now).find((p) => p.type === "timeZoneName")?.value ?? "";
  } catch {
    // an old browser without longOffset: the name alone
  }
  const name = z.replace(/_/g, " ");
  return offset ? `${name} (${offset})` : name;
}

/** offsetMs is zone z's offset from UTC at instant t, in milliseconds (Nairobi: +3 h). */
function offsetMs(t: number, z: string): number {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone: z, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(new Date(t))
      .map((x) => [x.type, x.value]),
  );
  const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return wall - Math.floor(t / 1000) * 1000;
}

/**
 * toZoneInput turns an RFC 3339 instant into a datetime-local input's value
 * ("2026-03-05T14:30"), the wall time in zone z (undefined: the device's).
 */
export function toZoneInput(iso: string, z: string | undefined): string {
  const t = new Date(iso).getTime();
  if (isNaN(t)) return "";
  const off = z ? offsetMs(t, z) : -new Date(t).getTimezoneOffset() * 60_000;
  return new Date(t + off).toISOString().slice(0, 16);
}

/**
 * fromZoneInput turns a datetime-local value, a wall time in zone z
 * (undefined: the device's), into an RFC 3339 instant in UTC. A wall time
 * that a change to daylight saving time skips is read with the offset before
 * the change.
 */
export function fromZoneInput(local: string, z: string | undefined): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return undefined;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  let t: number;
  if (!z) t = new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]).getTime();
  else {
    t = wall - offsetMs(wall, z);
    const again = wall - offsetMs(t, z);
    if (offsetMs(again, z) === offsetMs(t, z)) t = again;
  }
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
}
