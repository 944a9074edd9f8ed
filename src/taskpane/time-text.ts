// One clock for the whole pane: every time is shown in the user's local time, in one format.
// The engine writes times into its reasons as "2026-11-03 10:04 UTC" (src/sync/describe.ts when());
// those are rewritten here so a reason and the history beside it read the same clock.

export function timeText(iso: string | undefined, locale?: string): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

/** Only the time of day ("10:42 AM"), for "will retry at …". */
export function clockText(ms: number, locale?: string): string {
  return new Date(ms).toLocaleTimeString(locale, { hour: "numeric", minute: "2-digit" });
}

const UTC_STAMP = /\b(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC\b/g;

/** Rewrites "2026-11-03 10:04 UTC" stamps in a sentence to local time. */
export function localizeTimes(text: string, locale?: string): string {
  return text.replace(UTC_STAMP, (whole, day: string, hm: string) => {
    const t = Date.parse(`${day}T${hm}:00Z`);
    return Number.isNaN(t) ? whole : timeText(new Date(t).toISOString(), locale);
  });
}
