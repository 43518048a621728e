// A date typed in the app's language, whatever the browser's: the day, the
// month and the year in three labelled boxes, in the order the language
// writes dates (day, month, year in Arabic, French and Spanish; month, day,
// year in English), with the language's digits. A native <input type=date>
// draws its boxes in the browser's locale instead (an Arabic-speaking person
// on an English phone read mm/dd/yyyy). Digits are taken in either script
// (Western or Arabic-Indic), so a person types on whatever keyboard they have.
//
// The value is the API's: an ISO date (YYYY-MM-DD), or "" while the boxes do
// not hold a whole, real date (as a native date input answers).
import { useMemo, useRef, useState, type AriaAttributes } from "react";
import { useLingui } from "@lingui/react/macro";

export type DatePart = "day" | "month" | "year";

/** dateOrder is the order a language writes a date's parts in (Intl's numeric date). */
export function dateOrder(locale: string): DatePart[] {
  try {
    const parts = new Intl.DateTimeFormat(locale, { year: "numeric", month: "numeric", day: "numeric", timeZone: "UTC" }).formatToParts(Date.UTC(2017, 2, 2));
    const order = parts.map((p) => p.type).filter((t): t is DatePart => t === "day" || t === "month" || t === "year");
    if (order.length === 3) return order;
  } catch {
    /* an unknown locale: below */
  }
  return ["day", "month", "year"];
}

/** westernDigits turns Arabic-Indic and Eastern Arabic-Indic digits into 0-9 and drops anything that is not a digit. */
export function westernDigits(s: string): string {
  return s
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/\D/g, "");
}

type Parts = Record<DatePart, string>;

/** isoDate makes the ISO date of three typed parts, or "" when they are not a whole, real date. */
export function isoDate(p: Parts): string {
  const d = Number(westernDigits(p.day));
  const m = Number(westernDigits(p.month));
  const year = westernDigits(p.year);
  if (year.length !== 4 || !d || !m) return "";
  const y = Number(year);
  const at = new Date(Date.UTC(y, m - 1, d));
  // 31/02 rolls over to March in Date: not a real date.
  if (at.getUTCFullYear() !== y || at.getUTCMonth() !== m - 1 || at.getUTCDate() !== d) return "";
  return `${year}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** partsOf splits an ISO date into its parts in the language's digits (empty parts for "" or a value that is not a date). */
export function partsOf(iso: string, locale: string): Parts {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return { day: "", month: "", year: "" };
  const n = (s: string, digits: number) => new Intl.NumberFormat(locale, { useGrouping: false, minimumIntegerDigits: digits }).format(Number(s));
  return { year: n(m[1], 4), month: n(m[2], 2), day: n(m[3], 2) };
}

const sizes: Record<DatePart, number> = { day: 2, month: 2, year: 4 };

/**
 * DateField: id goes to the first box in the language's order, so a
 * <label htmlFor={id}> names the date and focuses it, and an error moved to
 * the field lands there; aria (invalid, describedby, required) goes to every
 * box. The group is named by labelId when given.
 */
export function DateField({ id, labelId, value, onChange, aria = {} }: { id: string; labelId?: string; value: string; onChange: (iso: string) => void; aria?: AriaAttributes }) {
  const { i18n, t } = useLingui();
  const locale = i18n.locale;
  const order = useMemo(() => dateOrder(locale), [locale]);
  const [parts, setParts] = useState<Parts>(() => partsOf(value, locale));
  // The value this field last answered: a different one came from outside (a record loaded, a filter reset).
  const sent = useRef(value);
  if (value !== sent.current) {
    sent.current = value;
    const next = partsOf(value, locale);
    if (next.day !== parts.day || next.month !== parts.month || next.year !== parts.year) setParts(next);
  }
  const names: Record<DatePart, string> = { day: t`Day`, month: t`Month`, year: t`Year` };
  const change = (part: DatePart, text: string) => {
    const next = { ...parts, [part]: text };
    setParts(next);
    const iso = isoDate(next);
    if (iso !== sent.current) {
      sent.current = iso;
      onChange(iso);
    }
  };
  return (
    <div className="date-field" role="group" aria-labelledby={labelId} data-date-field="">
      {order.map((part, i) => {
        const boxId = i === 0 ? id : `${id}-${part}`;
        return (
          <span key={part} className={`date-part date-part-${part}`}>
            <label htmlFor={boxId}>{names[part]}</label>
            <input
              id={boxId}
              data-part={part}
              type="text"
              inputMode="numeric"
              autoComplete="off"
              dir="ltr"
              size={sizes[part]}
              maxLength={sizes[part]}
              value={parts[part]}
              onChange={(e) => change(part, e.target.value)}
              {...aria}
            />
          </span>
        );
      })}
    </div>
  );
}
