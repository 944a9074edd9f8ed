/** @jest-environment jsdom */
// The pane in Office's display language: Spanish words, the firm's terms with Spanish grammar, Spanish
// formats; English when Office says English, whatever the browser says.
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { PaneRoot } from "../../src/taskpane/App";
import { loadCatalogue, loadedCatalogue } from "../../src/taskpane/i18n/catalogues";
import { I18nProvider } from "../../src/taskpane/i18n/i18n-context";
import { PendingChangesView } from "../../src/taskpane/views/pending/PendingChangesView";
import { createTranslator } from "../../src/taskpane/i18n/translator";
import { failureOf } from "../../src/taskpane/safety-stop";
import { DEFAULT_TERMINOLOGY } from "../../src/taskpane/terminology";
import { LeaseHeldError } from "../../src/taskpane/wiring/leased-session";
import { countsText, progressText, runMessageText, statusHeadline } from "../../src/taskpane/views/status/status-text";
import { safetyCause } from "../../src/taskpane/views/pending/safety-words";
import { filterFieldLabel } from "../../src/taskpane/views/filters/filter-field-words";
import { criterionText } from "../../src/taskpane/views/filters/filter-preview";
import { actionText, fieldLines } from "../../src/taskpane/views/pending/pending-rows";
import { change, configuredSettings, fakeServices, plan, renderPane, run } from "./helpers";

async function settle() {
  await act(async () => undefined);
}

describe("the pane in Office's display language", () => {
  it("speaks Spanish when Outlook's display language is Spanish, and says so in <html lang>", async () => {
    // The Spanish catalogue is fetched on demand (its own chunk), not with the first load.
    expect(loadedCatalogue("es-ES")).toBeUndefined();
    const services = fakeServices();
    services.host.displayLanguage = "es-ES";
    render(<PaneRoot services={services} />);
    expect(await screen.findByRole("tree", { name: "Carpetas de mi buzón" })).toBeTruthy();
    expect(screen.getByRole("tab", { name: "Configuración" })).toBeTruthy();
    expect(screen.getByRole("checkbox", { name: "Mostrarme los cambios para revisarlos antes de aplicarlos" })).toBeTruthy();
    expect(screen.getByRole("combobox", { name: "Contactos que sincronizar" })).toBeTruthy();
    expect(screen.getByRole("option", { name: "Todos los contactos" })).toBeTruthy();
    expect(document.documentElement.lang).toBe("es-ES");
  });

  it("fits the firm's feminine Spanish term and a custom English one into Spanish sentences", async () => {
    const services = fakeServices({ settings: configuredSettings });
    services.host.displayLanguage = "es-MX";
    services.practice.terminology = async () => ({ contact: "Empresa", contacts: "Empresas", standalone: "Other person", standalones: "Other people" });
    render(<PaneRoot services={services} />);
    await settle();
    expect(await screen.findByText("Empresas excluidas")).toBeTruthy();
    expect(screen.getByText(/^Ninguna\. Una empresa que elimines en Outlook/)).toBeTruthy();
    fireEvent.click(screen.getByRole("tab", { name: "Configuración" }));
    expect(await screen.findByRole("combobox", { name: "Empresas que sincronizar" })).toBeTruthy();
    expect(screen.getByRole("option", { name: "Todas las empresas" })).toBeTruthy();
    expect(screen.getByRole("radio", { name: "Other people" })).toBeTruthy();
    expect(screen.getByRole("radio", { name: "Clientes" })).toBeTruthy();
    expect(screen.getByRole("checkbox", { name: /^Los other people que elimine en Outlook/ })).toBeTruthy();
    // The default terminology switch brings back Spanish's own words.
    fireEvent.click(screen.getByRole("switch", { name: "Usar la terminología predeterminada" }));
    await act(async () => fireEvent.click(screen.getByTestId("setup-ok")));
    fireEvent.click(await screen.findByRole("tab", { name: "Configuración" }));
    expect(await screen.findByRole("checkbox", { name: /^Los contactos independientes que elimine/ })).toBeTruthy();
  });

  it("speaks English when Office says English, whatever the browser's language", async () => {
    Object.defineProperty(window.navigator, "language", { value: "es-ES", configurable: true });
    try {
      const services = fakeServices();
      services.host.displayLanguage = "en-GB";
      render(<PaneRoot services={services} />);
      expect(await screen.findByRole("tree", { name: "Folders in my mailbox" })).toBeTruthy();
      expect(document.documentElement.lang).toBe("en-GB");
    } finally {
      Object.defineProperty(window.navigator, "language", { value: "en-US", configurable: true });
    }
  });
});

describe("Spanish words of Status and the pending list", () => {
  let es = createTranslator();
  beforeAll(async () => {
    await loadCatalogue("es-ES");
    es = createTranslator({ locale: "es-ES", formatLocale: "es-ES" });
  });

  it("the waiting phase says when the sync resumes, on the Spanish clock", () => {
    const resumeAt = new Date(2026, 11, 3, 10, 42).toISOString();
    expect(progressText({ phase: "waiting", done: 0, waiting: { for: "outlook-limit", resumeAt } }, "applying", es)).toBe(
      "Se alcanzó el límite de Outlook; se reanuda a las 10:42",
    );
    expect(progressText({ phase: "reading-outlook", done: 1500, total: 9000 }, "planning", es)).toBe("Leyendo la carpeta de Outlook: 1500 de 9000");
  });

  it("counts agree with the term's gender and number", () => {
    const fem = createTranslator({ locale: "es-ES", terms: { ...DEFAULT_TERMINOLOGY, contact: "Empresa", contacts: "Empresas" } });
    expect(countsText({ "add:toOutlook": 1, "update:both": 3, failed: 2 }, es)).toBe(
      "1 añadido a Outlook, 3 actualizados en ambos sentidos, 2 con errores",
    );
    expect(countsText({ "add:toOutlook": 2 }, fem)).toBe("2 añadidas a Outlook");
  });

  it("headlines, safety causes and rows", () => {
    const h = statusHeadline({ busy: null, pending: null, failure: null, latest: run("a", { counts: { "add:toOutlook": 3, linked: 1 } }), retryAt: null }, es);
    expect(h.title).toBe("3 cambios aplicados");
    expect(h.detail).toMatch(/^1 contacto sincronizado\. Última sincronización: /);
    const stop = { reason: "x", side: "outlook" as const, affected: 2, total: 2 };
    const gone = [change("g1", "remove", "G1", { direction: "toPractice", fields: [] }), change("g2", "remove", "G2", { direction: "none", fields: [] })];
    expect(safetyCause(stop, gone, es).parts).toEqual([
      "2 contactos ya no están en tu carpeta de Outlook; al aplicar se dejan de sincronizar y se elimina 1 contacto independiente en el sistema del despacho.",
    ]);
    const upd = change("u", "update", "U", { direction: "toOutlook" });
    expect(actionText(upd, es)).toBe("Actualizar 1 campo hacia Outlook");
    expect(fieldLines(upd, es)[0]).toMatchObject({ label: "Puesto", old: "Clerk", new: "Partner" });
  });

  it("a folder another person is syncing (R18) is said in the pane's words, with who and until when", () => {
    const base = { busy: null, pending: null, latest: null, retryAt: null };
    const until = "2026-12-03T10:42:00.000Z";
    const held = statusHeadline({ ...base, failure: failureOf(new LeaseHeldError("Jörg Müller", until)) }, es);
    expect(held).toMatchObject({ tone: "warning", title: "Jörg Müller está sincronizando esta carpeta", action: "retry", technical: null });
    expect(held.detail).toBe(`Una carpeta compartida la sincroniza una sola persona a la vez. Vuelve a intentarlo después de: ${es.dateTime(until)}.`);
    const mine = statusHeadline({ ...base, failure: failureOf(new LeaseHeldError("Jo", undefined, true)) });
    expect(mine).toMatchObject({ title: "Syncing on another of your devices", detail: "Try again in a moment." });
  });

  it("the large-change dialog: Spanish title, counted cause and buttons, the safe choice first", async () => {
    const safety = { reason: "This run would remove 40 of 50 Outlook contacts.", side: "outlook" as const, affected: 40, total: 50 };
    const p = plan([change("r1", "remove", "R1", { direction: "toOutlook", fields: [] }), change("r2", "remove", "R2", { direction: "toOutlook", fields: [] })], { safety });
    const onApply = jest.fn();
    renderPane(
      <I18nProvider translator={es}>
        <PendingChangesView plan={p} applying={false} onApply={onApply} onCancel={() => undefined} />
      </I18nProvider>,
    );
    fireEvent.click(screen.getByTestId("apply-changes"));
    const dialog = await screen.findByRole("alertdialog");
    expect(within(dialog).getByRole("heading").textContent).toBe("Cambio grande en tu carpeta de Outlook: confírmalo");
    expect(screen.getByTestId("safety-cause").textContent).toBe("Se quitarían 2 contactos de tu carpeta de Outlook (a Elementos eliminados).");
    // The engine's English sentence is not repeated where the Spanish cause says it.
    expect(dialog.textContent).not.toContain("This run would remove");
    expect(within(dialog).getAllByRole("button").map((b) => b.textContent)).toEqual(["No aplicar", "Aplicar de todos modos"]);
    expect(onApply).not.toHaveBeenCalled();
  });

  it("history details: the pane's own note in Spanish, the engine's message as written (times localized)", () => {
    const closed = run("c", { status: "cancelled", message: "Closed without applying; the changes come back at the next sync." });
    expect(runMessageText(closed, es)).toBe("Cerrada sin aplicar; los cambios volverán en la próxima sincronización.");
    expect(runMessageText(closed)).toBe("Closed without applying; the changes come back at the next sync.");
    const failed = run("f", { status: "failed", message: "Outlook answered 503 at 2026-12-03 10:04 UTC" });
    expect(runMessageText(failed, es)).toBe(`Outlook answered 503 at ${es.dateTime("2026-12-03T10:04:00.000Z")}`);
    expect(runMessageText(run("o", { message: "fine" }), es)).toBeNull();
  });

  it("filter fields by their Spanish names, the kind's values as the firm's terms; an unknown field keeps the API's label", () => {
    const kind = filterFieldLabel({ name: "kind", label: "Contact type" }, es);
    expect(kind).toBe("Tipo de contacto");
    expect(criterionText({ field: "kind", method: "equals", values: ["standalone"] }, kind, [], es)).toBe("Tipo de contacto es «Contacto independiente»");
    expect(criterionText({ field: "kind", method: "equals", values: ["client"] }, "Contact type", [])).toBe("Contact type is “Client”");
    expect(filterFieldLabel({ name: "businessAddress.postalCode", label: "Postal code" }, es)).toBe("Código postal");
    expect(filterFieldLabel({ name: "x-custom", label: "Sector" }, es)).toBe("Sector");
    expect(filterFieldLabel({ name: "constructor", label: "Builder" }, es)).toBe("Builder");
  });
});
