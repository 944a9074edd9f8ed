// Every catalogue has exactly en-US's keys, no empty text, the same parameters and the same firm
// terms in every message, and plural forms only where a count is given.
import { CATALOGUES } from "../../../src/taskpane/i18n/all-catalogues";
import type { Catalogue } from "../../../src/taskpane/i18n/catalogues";
import { CATALOGUE_LOCALES } from "../../../src/taskpane/i18n/locales";
import { tokensOf, type Message } from "../../../src/taskpane/i18n/message-format";
import { termOf } from "../../../src/taskpane/i18n/terms";

const en = CATALOGUES["en-US"];
const others = CATALOGUE_LOCALES.filter((l) => l !== "en-US").map((l) => [l, CATALOGUES[l]] as const);

const texts = (m: Message) => (typeof m === "string" ? [m] : Object.values(m));

/**
 * Parameter names, and which firm terms (client / contact / standalone) a message shows. Agreement
 * ({contacts|os|as}) is left out: a Spanish adjective agrees with a noun English need not repeat.
 */
function signature(m: Message): { params: string[]; terms: string[] } {
  const params = new Set<string>();
  const terms = new Set<string>();
  for (const t of tokensOf(m)) {
    if (t.kind === "param") params.add(t.name);
    else if (t.kind === "term") terms.add(termOf(t.term).key);
  }
  return { params: [...params].sort(), terms: [...terms].sort() };
}

describe.each(others)("%s catalogue", (_locale, cat: Catalogue) => {
  it("has exactly the keys of en-US", () => {
    expect(Object.keys(cat).sort()).toEqual(Object.keys(en).sort());
  });

  it("has no empty text in any form", () => {
    const empty = Object.entries(cat).filter(([, m]) => texts(m).some((t) => t.trim() === ""));
    expect(empty.map(([k]) => k)).toEqual([]);
  });

  it("uses the same parameters and the same firm terms as en-US in every message", () => {
    const mismatched = Object.keys(en).flatMap((key) => {
      const a = signature(en[key as keyof Catalogue]);
      const b = signature(cat[key as keyof Catalogue]);
      return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ key, en: a, other: b }];
    });
    expect(mismatched).toEqual([]);
  });

  it("gives plural forms only to messages with a count, and always an 'other' form", () => {
    const bad = Object.entries(cat).filter(([, m]) => typeof m !== "string" && (!m.other || !signature(m).params.includes("count")));
    expect(bad.map(([k]) => k)).toEqual([]);
  });
});

describe("en-US catalogue", () => {
  it("has no empty text and its plurals all have a count", () => {
    const bad = Object.entries(en).filter(([, m]) => texts(m).some((t) => t.trim() === "") || (typeof m !== "string" && !signature(m).params.includes("count")));
    expect(bad.map(([k]) => k)).toEqual([]);
  });

  it("never writes the firm's terms literally, so a customized term reaches every sentence", () => {
    const literal = Object.entries(en).filter(([, m]) => texts(m).some((t) => /\b(clients?|standalone)\b/i.test(t.replace(/\{[^}]*\}/g, ""))));
    expect(literal.map(([k]) => k)).toEqual([]);
  });
});
