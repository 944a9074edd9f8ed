// The translator: locale choice, plural forms, term grammar (article, gender, capital) and the
// marker for a missing key or parameter.
import { createTranslator } from "../../../src/taskpane/i18n/translator";
import { catalogueLocaleFor, displayLanguage, formatLocaleFor } from "../../../src/taskpane/i18n/locales";
import { grammarTerms } from "../../../src/taskpane/i18n/terms";
import { DEFAULT_TERMINOLOGY, type Terminology } from "../../../src/taskpane/terminology";
import { loadCatalogue, type MessageKey } from "../../../src/taskpane/i18n/catalogues";

beforeAll(() => loadCatalogue("es-ES"));

const es = (terms: Terminology | null = null) => createTranslator({ locale: "es-ES", formatLocale: "es-ES", terms });
const en = (terms: Terminology | null = null) => createTranslator({ locale: "en-US", formatLocale: "en-US", terms });

describe("locale choice", () => {
  it("reads any Spanish as es-ES and everything else (or nothing) as en-US", () => {
    expect(catalogueLocaleFor("es-MX")).toBe("es-ES");
    expect(catalogueLocaleFor("es")).toBe("es-ES");
    expect(catalogueLocaleFor("ES_es")).toBe("es-ES");
    expect(catalogueLocaleFor("en-GB")).toBe("en-US");
    expect(catalogueLocaleFor("fr-FR")).toBe("en-US");
    expect(catalogueLocaleFor("")).toBe("en-US");
    expect(catalogueLocaleFor(null)).toBe("en-US");
  });

  it("inside Office reads Office's display language; before office.js is ready, or outside, the browser's", () => {
    const g = globalThis as { Office?: unknown; navigator?: { language?: string } };
    const browser = g.navigator?.language ?? null; // Node 20 has no navigator: null
    try {
      g.Office = { context: { displayLanguage: "es-AR" } };
      expect(displayLanguage(true)).toBe("es-AR");
      expect(displayLanguage(false)).toBe(browser);
      g.Office = {
        get context(): never {
          throw new Error("Office.context is not ready");
        },
      };
      expect(displayLanguage(true)).toBe(browser);
    } finally {
      delete g.Office;
    }
  });

  it("formats with the user's own tag when it is valid", () => {
    expect(formatLocaleFor("es-mx", "es-ES")).toBe("es-MX");
    expect(formatLocaleFor("not a tag!", "es-ES")).toBe("es-ES");
    expect(formatLocaleFor(undefined, "en-US")).toBe("en-US");
  });
});

describe("plurals and numbers", () => {
  it("chooses the plural form by the count, with the locale's number format", () => {
    expect(en().t("head.waiting", { count: 1 })).toBe("1 change waiting for your review");
    expect(en().t("head.waiting", { count: 1200 })).toBe("1,200 changes waiting for your review");
    expect(es().t("head.waiting", { count: 1 })).toBe("1 cambio espera tu revisión");
    expect(es().t("head.waiting", { count: 12000 })).toBe("12.000 cambios esperan tu revisión");
    // 1,000,000 is CLDR's "many" in Spanish; with no such form the message falls back to "other".
    expect(es().t("head.waiting", { count: 1_000_000 })).toBe("1.000.000 cambios esperan tu revisión");
  });

  it("shows a missing key or parameter as a marker, never a blank", () => {
    expect(en().t("no.such.key" as MessageKey)).toBe("⟦no.such.key⟧");
    expect(en().t("status.folder")).toBe("Outlook folder: ⟦path⟧");
  });
});

describe("terminology grammar", () => {
  const firm = (over: Partial<Terminology>): Terminology => ({ ...DEFAULT_TERMINOLOGY, ...over });

  it("uses the locale's own default words when the firm kept the defaults", () => {
    expect(es(DEFAULT_TERMINOLOGY).t("status.excludedHeading")).toBe("Contactos excluidos");
    expect(es().t("setup.all")).toBe("Todos los contactos");
    expect(es().t("status.noneExcluded")).toMatch(/^Ninguno\. Un contacto que elimines/);
    expect(en().t("status.excludedHeading")).toBe("Excluded contacts");
    expect(en().t("setup.toSync")).toBe("Contacts to synchronize");
  });

  it("gives a feminine Spanish term its articles and agreement, capitalized at sentence start", () => {
    const t = es(firm({ contact: "Empresa", contacts: "Empresas" }));
    expect(t.terms.contact.gender).toBe("f");
    expect(t.t("status.excludedHeading")).toBe("Empresas excluidas");
    expect(t.t("setup.all")).toBe("Todas las empresas");
    expect(t.t("status.noneExcluded")).toMatch(/^Ninguna\. Una empresa que elimines/);
    expect(t.t("setup.importAs")).toBe("Importar las empresas de Outlook como");
    expect(t.t("filters.warnNever")).toBe("Ninguna empresa cumple este criterio, así que nunca coincidirá con nada.");
  });

  it("keeps a firm's custom English term inside Spanish sentences, masculine as Spanish treats loanwords", () => {
    const t = es(firm({ standalone: "Other person", standalones: "Other people" }));
    expect(t.terms.standalone).toEqual({ singular: "Other person", plural: "Other people", gender: "m" });
    expect(t.t("setup.deleteStandalones")).toBe("Los other people que elimine en Outlook también se eliminan en el sistema del despacho");
    expect(t.t("setup.importStandalones")).toBe("Other people");
    // The untouched terms are still Spanish.
    expect(t.t("setup.importClients")).toBe("Clientes");
  });

  it("English articles: a/an by the first letter, and acronyms stay upper case", () => {
    expect(en(firm({ contact: "Other person", contacts: "Other people" })).t("status.noneExcluded")).toMatch(/^None\. An other person you delete/);
    expect(en(firm({ contact: "CRM record", contacts: "CRM records" })).t("filters.title")).toBe("CRM record filters");
    expect(en(firm({ contact: "CRM record", contacts: "CRM records" })).t("status.excludedHeading")).toBe("Excluded CRM records");
  });

  it("reads Spanish gender from the head noun's ending", () => {
    const g = (w: string) => grammarTerms("es-ES", firm({ client: w, clients: `${w}s` })).client.gender;
    expect(["Sociedad", "Organización", "Persona física", "Entidad"].map(g)).toEqual(["f", "f", "f", "f"]);
    expect(["Cliente", "Socio", "Customer", "Contacto independiente"].map(g)).toEqual(["m", "m", "m", "m"]);
  });

  it("with the default terminology switch, the locale's defaults apply", () => {
    const t = createTranslator({ locale: "es-ES", terms: DEFAULT_TERMINOLOGY });
    expect(t.t("setup.deleteStandalones")).toMatch(/^Los contactos independientes que elimine/);
  });
});

describe("dates and times", () => {
  it("formats times with the chosen locale", () => {
    const iso = "2026-12-03T10:42:00.000Z";
    const esText = createTranslator({ locale: "es-ES", formatLocale: "es-ES" }).dateTime(iso);
    const enText = createTranslator({ locale: "en-US", formatLocale: "en-US" }).dateTime(iso);
    expect(esText).toMatch(/dic/);
    expect(enText).toMatch(/Dec/);
    expect(createTranslator({ locale: "en-US", formatLocale: "en-US" }).clock(Date.parse(iso))).toMatch(/AM|PM/);
    expect(createTranslator({ locale: "es-ES", formatLocale: "es-ES" }).clock(Date.parse(iso))).not.toMatch(/AM|PM/);
  });
});
