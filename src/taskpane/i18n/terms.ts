// The firm's terms with their grammar, per locale. A term is a noun with a singular, a plural and
// (where the language needs it) a gender; the catalogue asks for it bare, capitalized or with an
// article ("los clientes", "la empresa", "del contacto"), never pasted into a fixed sentence.
//
// Where the firm's word comes from (docs/localization.md "Terminology"):
// - The firm did not customize a term (or the user asked for the default terminology): the
//   locale's own default noun ("cliente", masculine).
// - The firm customized it: the firm's word is shown in every locale (it is the firm's name for
//   its records), with its own plural. Its gender is read from the word by the locale's rule
//   (Spanish: -a, -ción, -sión, -dad, -tad, -tud, -umbre are feminine, everything else — English
//   loanwords included, as Spanish usage gives them — masculine).
import { DEFAULT_TERMINOLOGY, lower, type Terminology } from "../terminology";
import type { ArticleForm, TermPlaceholder } from "./message-format";
import type { CatalogueLocale } from "./locales";

export type Gender = "m" | "f";
export type TermKey = "client" | "contact" | "standalone";

export interface GrammarTerm {
  singular: string;
  plural: string;
  gender: Gender;
}

export type GrammarTerms = Record<TermKey, GrammarTerm>;

interface LocaleGrammar {
  defaults: GrammarTerms;
  genderOf(word: string): Gender;
  /** The word with its article: "the client", "los clientes", "del contacto". */
  withArticle(form: ArticleForm, word: string, gender: Gender, plural: boolean): string;
}

const ENGLISH: LocaleGrammar = {
  defaults: {
    client: { singular: "Client", plural: "Clients", gender: "m" },
    contact: { singular: "Contact", plural: "Contacts", gender: "m" },
    standalone: { singular: "Standalone contact", plural: "Standalone contacts", gender: "m" },
  },
  genderOf: () => "m",
  withArticle(form, word, _gender, plural) {
    if (form === "a") return plural ? word : `${/^[aeiou]/i.test(word) ? "an" : "a"} ${word}`;
    return `${form === "of-the" ? "of the" : form === "to-the" ? "to the" : "the"} ${word}`;
  },
};

const SPANISH_ARTICLES: Record<ArticleForm, Record<`${Gender}${"s" | "p"}`, string>> = {
  the: { ms: "el", fs: "la", mp: "los", fp: "las" },
  a: { ms: "un", fs: "una", mp: "unos", fp: "unas" },
  "of-the": { ms: "del", fs: "de la", mp: "de los", fp: "de las" },
  "to-the": { ms: "al", fs: "a la", mp: "a los", fp: "a las" },
};

const SPANISH: LocaleGrammar = {
  defaults: {
    client: { singular: "cliente", plural: "clientes", gender: "m" },
    contact: { singular: "contacto", plural: "contactos", gender: "m" },
    standalone: { singular: "contacto independiente", plural: "contactos independientes", gender: "m" },
  },
  // The head noun comes first in Spanish ("persona física"); RAE's regular endings decide.
  genderOf(word) {
    const head = word.trim().split(/\s+/)[0].toLowerCase();
    return /(a|ción|sión|dad|tad|tud|umbre)$/.test(head) ? "f" : "m";
  },
  withArticle(form, word, gender, plural) {
    return `${SPANISH_ARTICLES[form][`${gender}${plural ? "p" : "s"}`]} ${word}`;
  },
};

const GRAMMARS: Record<CatalogueLocale, LocaleGrammar> = { "en-US": ENGLISH, "es-ES": SPANISH };

const PAIRS: Record<TermKey, [keyof Terminology, keyof Terminology]> = {
  client: ["client", "clients"],
  contact: ["contact", "contacts"],
  standalone: ["standalone", "standalones"],
};

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The terms a locale shows: the locale's defaults where the firm kept the product's (English)
 * default, the firm's own words where it customized them.
 */
export function grammarTerms(locale: CatalogueLocale, firm: Terminology | null): GrammarTerms {
  const g = GRAMMARS[locale];
  const out = { ...g.defaults };
  if (!firm) return out;
  for (const key of Object.keys(PAIRS) as TermKey[]) {
    const [one, many] = PAIRS[key];
    const customized = !same(firm[one], DEFAULT_TERMINOLOGY[one]) || !same(firm[many], DEFAULT_TERMINOLOGY[many]);
    if (customized) out[key] = { singular: firm[one], plural: firm[many], gender: g.genderOf(firm[one]) };
  }
  return out;
}

const capitalize = (s: string) => s.charAt(0).toLocaleUpperCase() + s.slice(1);

/** Which noun and number a placeholder names: "clients" is the client term, plural. */
export function termOf(p: TermPlaceholder): { key: TermKey; plural: boolean } {
  const plural = p.endsWith("s");
  return { key: (plural ? p.slice(0, -1) : p) as TermKey, plural };
}

/** A term as a sentence needs it: mid-sentence lower case (acronyms kept), or capitalized. */
export function termText(locale: CatalogueLocale, terms: GrammarTerms, p: TermPlaceholder, article: ArticleForm | null, capital: boolean): string {
  const { key, plural } = termOf(p);
  const term = terms[key];
  const word = lower(plural ? term.plural : term.singular);
  const text = article ? GRAMMARS[locale].withArticle(article, word, term.gender, plural) : word;
  return capital ? capitalize(text) : text;
}

export function termGender(terms: GrammarTerms, p: TermPlaceholder): Gender {
  return terms[termOf(p).key].gender;
}
