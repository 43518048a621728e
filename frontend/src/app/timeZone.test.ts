// The person's time zone: which one applies, the list offered, and date-time
// inputs typed in it whatever the device's zone.
import { describe, expect, it } from "vitest";
import { activeTimeZone, fromZoneInput, setTimeZone, timeZones, toZoneInput, zoneLabel } from "./timeZone";

describe("time zones", () => {
  it("applies the person's own zone, else the instance's default, and ignores a name the browser does not know", () => {
    setTimeZone("Asia/Tokyo", "Africa/Nairobi");
    expect(activeTimeZone()).toBe("Asia/Tokyo");
    setTimeZone("", "Africa/Nairobi");
    expect(activeTimeZone()).toBe("Africa/Nairobi");
    setTimeZone("Mars/Olympus", "America/Bogota");
    expect(activeTimeZone()).toBe("America/Bogota");
    setTimeZone(undefined, undefined);
    expect(activeTimeZone()).toBeUndefined();
  });

  it("offers the browser's IANA zones with UTC, labelled for a search by city with the offset", () => {
    const zones = timeZones();
    expect(zones).toEqual(expect.arrayContaining(["UTC", "Africa/Nairobi", "America/New_York", "Europe/Paris"]));
    expect(new Set(zones).size).toBe(zones.length);
    const winter = new Date("2026-01-15T12:00:00Z");
    expect(zoneLabel("America/New_York", "en", winter)).toBe("America/New York (GMT-05:00)");
    expect(zoneLabel("Asia/Kolkata", "en", winter)).toBe("Asia/Kolkata (GMT+05:30)");
  });

  it("shows and reads a date and time as the wall clock of the zone, across a change to daylight saving time", () => {
    expect(toZoneInput("2026-03-05T09:30:00Z", "Africa/Nairobi")).toBe("2026-03-05T12:30");
    expect(fromZoneInput("2026-03-05T12:30", "Africa/Nairobi")).toBe("2026-03-05T09:30:00Z");
    expect(toZoneInput("2026-03-05T02:00:00Z", "America/Los_Angeles")).toBe("2026-03-04T18:00");
    // New York, 8 March 2026: 02:00 becomes 03:00. Before and after the change:
    expect(fromZoneInput("2026-03-08T01:30", "America/New_York")).toBe("2026-03-08T06:30:00Z");
    expect(fromZoneInput("2026-03-08T03:30", "America/New_York")).toBe("2026-03-08T07:30:00Z");
    // A wall time the change skips is read with the offset before it.
    expect(fromZoneInput("2026-03-08T02:30", "America/New_York")).toBe("2026-03-08T07:30:00Z");
    for (const iso of ["2026-03-08T06:59:00Z", "2026-03-08T07:00:00Z", "2026-11-01T05:30:00Z", "2026-11-01T07:30:00Z"]) {
      expect(fromZoneInput(toZoneInput(iso, "America/New_York"), "America/New_York")).toBe(iso);
    }
    // 1 November: 01:30 happens twice; the wall time reads as the first.
    expect(toZoneInput("2026-11-01T06:30:00Z", "America/New_York")).toBe("2026-11-01T01:30");
    expect(fromZoneInput("2026-11-01T01:30", "America/New_York")).toBe("2026-11-01T05:30:00Z");
    expect(fromZoneInput("not a date", "UTC")).toBeUndefined();
  });
});
