// The catalogue's small message syntax, read by format():
//   {name}              a parameter (numbers are formatted for the locale)
//   {contacts}          a firm term, mid-sentence form; {Contacts} capitalizes it (sentence start)
//   {the contacts}      with the locale's definite article; also {a …}, {of-the …}, {to-the …}
//                       ("del cliente", "al cliente" in Spanish); {The contacts} capitalizes
//   {contacts|os|as}    agreement: the first text for a masculine term, the second for a feminine one
// Plurals are objects keyed by Intl.PluralRules categories, chosen by the "count" parameter.
// Terms: client(s), contact(s), standalone(s) — see terms.ts.

/** A catalogue entry: a sentence, or its plural forms ("other" is required and the fallback). */
export type Message = string | PluralMessage;
export type PluralMessage = Partial<Record<Exclude<Intl.LDMLPluralRule, "other">, string>> & { other: string };

export type Params = Readonly<Record<string, string | number>>;

export const TERM_NAMES = ["client", "clients", "contact", "contacts", "standalone", "standalones"] as const;
export type TermPlaceholder = (typeof TERM_NAMES)[number];

export const ARTICLE_FORMS = ["the", "a", "of-the", "to-the"] as const;
export type ArticleForm = (typeof ARTICLE_FORMS)[number];

/** One {…} of a message, parsed. */
export type Token =
  | { kind: "param"; name: string }
  | { kind: "term"; term: TermPlaceholder; article: ArticleForm | null; capital: boolean }
  | { kind: "agree"; term: TermPlaceholder; masculine: string; feminine: string };

const PLACEHOLDER = /\{([^{}]+)\}/g;

export function parseToken(body: string): Token {
  const bar = body.split("|");
  if (bar.length === 3 && isTerm(bar[0].trim())) return { kind: "agree", term: bar[0].trim() as TermPlaceholder, masculine: bar[1], feminine: bar[2] };
  const words = body.trim().split(/\s+/);
  const capital = /^[A-Z]/.test(words[0]);
  if (words.length === 2) {
    const article = words[0].toLowerCase();
    const term = words[1].toLowerCase();
    if ((ARTICLE_FORMS as readonly string[]).includes(article) && isTerm(term)) return { kind: "term", term: term as TermPlaceholder, article: article as ArticleForm, capital };
  }
  if (words.length === 1 && isTerm(words[0].toLowerCase())) return { kind: "term", term: words[0].toLowerCase() as TermPlaceholder, article: null, capital };
  return { kind: "param", name: body.trim() };
}

function isTerm(word: string): boolean {
  return (TERM_NAMES as readonly string[]).includes(word);
}

/** Every placeholder of a message (all plural forms), for the catalogue parity test. */
export function tokensOf(message: Message): Token[] {
  const texts = typeof message === "string" ? [message] : Object.values(message);
  return texts.flatMap((text) => [...text.matchAll(PLACEHOLDER)].map((m) => parseToken(m[1])));
}

/** Renders one token; the caller supplies how terms, agreement and numbers read in its locale. */
export interface TokenRenderer {
  term(term: TermPlaceholder, article: ArticleForm | null, capital: boolean): string;
  agree(term: TermPlaceholder, masculine: string, feminine: string): string;
  number(n: number): string;
}

/** A missing parameter shows as ⟦name⟧, so a test (and a user) can see it instead of a blank. */
export function render(text: string, params: Params, r: TokenRenderer): string {
  return text.replace(PLACEHOLDER, (_, body: string) => {
    const t = parseToken(body);
    if (t.kind === "term") return r.term(t.term, t.article, t.capital);
    if (t.kind === "agree") return r.agree(t.term, t.masculine, t.feminine);
    const v = params[t.name];
    if (typeof v === "number") return r.number(v);
    return typeof v === "string" ? v : `⟦${t.name}⟧`;
  });
}

/** The plural form for a count, falling back to "other" where a locale's category has no text. */
export function pluralText(message: PluralMessage, count: number, rules: Intl.PluralRules): string {
  return message[rules.select(count) as keyof PluralMessage] ?? message.other;
}
