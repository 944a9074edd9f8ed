// One object per (locale, terms) that the views and the pure word modules ask for text: catalogue
// look-up, plural choice, term grammar, and Intl formatting of numbers and times.
import { DEFAULT_TERMINOLOGY, type Terminology } from "../terminology";
import { clockText, localizeTimes, timeText } from "../time-text";
import { loadedCatalogue, type Catalogue, type MessageKey } from "./catalogues";
import { FALLBACK_LOCALE, type CatalogueLocale } from "./locales";
import { pluralText, render, type Params } from "./message-format";
import { grammarTerms, termGender, termText, type GrammarTerms } from "./terms";

export interface Translator {
  /** The catalogue in use. */
  readonly locale: CatalogueLocale;
  /** The tag Intl formats with (undefined: the runtime's default). */
  readonly formatLocale: string | undefined;
  readonly terms: GrammarTerms;
  /** The message for key; a key the catalogue lacks shows as ⟦key⟧ (tests look for it). */
  t(key: MessageKey, params?: Params): string;
  number(n: number): string;
  /** A date and time ("3 Dec 2026, 10:42"). */
  dateTime(iso: string | undefined): string;
  /** A time of day ("10:42"). */
  clock(ms: number): string;
  /** Rewrites the engine's "2026-11-03 10:04 UTC" stamps to this locale's local time. */
  localTimes(text: string): string;
}

export interface TranslatorOptions {
  /** Its catalogue must be loaded (loadCatalogue); until it is, the words are en-US. */
  locale?: CatalogueLocale;
  formatLocale?: string;
  /** The firm's resolved terminology; null or absent: the locale's defaults. */
  terms?: Terminology | null;
}

export function createTranslator(opts: TranslatorOptions = {}): Translator {
  const wanted = opts.locale ?? FALLBACK_LOCALE;
  const locale = loadedCatalogue(wanted) ? wanted : FALLBACK_LOCALE;
  const formatLocale = opts.formatLocale;
  const catalogue: Partial<Catalogue> = loadedCatalogue(locale) ?? {};
  const terms = grammarTerms(locale, opts.terms ?? null);
  const numbers = new Intl.NumberFormat(formatLocale);
  const plurals = new Intl.PluralRules(formatLocale ?? locale);
  const renderer = {
    term: (p: Parameters<typeof termText>[2], article: Parameters<typeof termText>[3], capital: boolean) => termText(locale, terms, p, article, capital),
    agree: (p: Parameters<typeof termGender>[1], masculine: string, feminine: string) => (termGender(terms, p) === "f" ? feminine : masculine),
    number: (n: number) => numbers.format(n),
  };
  return {
    locale,
    formatLocale,
    terms,
    t(key, params = {}) {
      const message = catalogue[key];
      if (message === undefined) return `⟦${key}⟧`;
      if (typeof message === "string") return render(message, params, renderer);
      const count = params.count;
      return render(pluralText(message, typeof count === "number" ? count : 0, plurals), params, renderer);
    },
    number: (n) => numbers.format(n),
    dateTime: (iso) => timeText(iso, formatLocale),
    clock: (ms) => clockText(ms, formatLocale),
    localTimes: (text) => localizeTimes(text, formatLocale),
  };
}

/** English with the product's default terms and the runtime's formats: the pure modules' default. */
export const ENGLISH = createTranslator({ terms: DEFAULT_TERMINOLOGY });
