// Which catalogue the pane speaks, from the display language: Office's inside Outlook
// (Office.context.displayLanguage), the browser's in the local browser mode. Any Spanish
// ("es", "es-MX", "es-419") reads the Spanish catalogue; everything else falls back to en-US.
// Dates and numbers keep the user's own tag (es-MX dates for a Mexican Outlook).

export const CATALOGUE_LOCALES = ["en-US", "es-ES"] as const;
export type CatalogueLocale = (typeof CATALOGUE_LOCALES)[number];
export const FALLBACK_LOCALE: CatalogueLocale = "en-US";

export function catalogueLocaleFor(tag: string | null | undefined): CatalogueLocale {
  const lang = (tag ?? "").trim().toLowerCase().split(/[-_]/)[0];
  return lang === "es" ? "es-ES" : FALLBACK_LOCALE;
}

/** A tag Intl accepts ("es-MX"), or the catalogue's own tag when the given one is malformed or absent. */
export function formatLocaleFor(tag: string | null | undefined, catalogue: CatalogueLocale): string {
  const t = (tag ?? "").trim().replace(/_/g, "-");
  if (!t) return catalogue;
  try {
    return Intl.getCanonicalLocales(t)[0] ?? catalogue;
  } catch {
    return catalogue; // RangeError: not a BCP 47 tag
  }
}

/** Office's display language when office.js is initialized inside Office, else the browser's. */
export function displayLanguage(inOffice: boolean): string | null {
  if (inOffice) {
    try {
      const lang = (globalThis as { Office?: { context?: { displayLanguage?: unknown } } }).Office?.context?.displayLanguage;
      if (typeof lang === "string" && lang) return lang;
    } catch {
      // office.js not initialized: its context getters may throw; fall through to the browser's
    }
  }
  return typeof navigator !== "undefined" ? (navigator.language ?? null) : null;
}
