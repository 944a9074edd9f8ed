/** @jest-environment jsdom */
// The start-up error follows Outlook's theme (its body background), or the system's outside Office.
import { render, screen } from "@testing-library/react";
import { loadCatalogue } from "../../src/taskpane/i18n/catalogues";
import { StartupError, startupTheme } from "../../src/taskpane/StartupError";

// jsdom has no ResizeObserver; Fluent's MessageBar only uses it to reflow long text.
(globalThis as { ResizeObserver?: unknown }).ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

function prefersDark(dark: boolean) {
  window.matchMedia = ((query: string) => ({ matches: dark && query.includes("dark"), media: query })) as unknown as typeof matchMedia;
}
afterEach(() => {
  delete (globalThis as { Office?: unknown }).Office;
});

it("uses Office's theme when office.js reports one, whatever the system prefers", () => {
  prefersDark(false);
  (globalThis as { Office?: unknown }).Office = { context: { officeTheme: { bodyBackgroundColor: "#1f1f1f" } } };
  expect(startupTheme()).toBe("dark");
  prefersDark(true);
  (globalThis as { Office?: unknown }).Office = { context: { officeTheme: { bodyBackgroundColor: "#ffffff" } } };
  expect(startupTheme()).toBe("light");
});

it("outside Office (or before it is ready) follows prefers-color-scheme", () => {
  prefersDark(true);
  expect(startupTheme()).toBe("dark");
  (globalThis as { Office?: unknown }).Office = {
    get context(): never {
      throw new Error("Office.context is not available yet");
    },
  };
  expect(startupTheme()).toBe("dark");
  prefersDark(false);
  expect(startupTheme()).toBe("light");
});

it("renders the message in the chosen theme", () => {
  prefersDark(true);
  const { container } = render(<StartupError message="config.json could not be loaded." />);
  expect(screen.getByTestId("startup-error").textContent).toContain("config.json could not be loaded.");
  expect(container.querySelector('[data-theme="dark"]')).not.toBeNull();
});

it("speaks Office's display language (its catalogue preloaded by the entry), English otherwise", async () => {
  prefersDark(false);
  await loadCatalogue("es-ES");
  (globalThis as { Office?: unknown }).Office = { context: { displayLanguage: "es-ES", officeTheme: null } };
  const { unmount } = render(<StartupError message="config.json is not JSON." />);
  expect(screen.getByTestId("startup-error").textContent).toContain("Practice Contact Sync no se pudo iniciar");
  expect(screen.getByTestId("startup-error").textContent).toContain("config.json is not JSON.");
  unmount();
  (globalThis as { Office?: unknown }).Office = { context: { displayLanguage: "de-DE", officeTheme: null } };
  render(<StartupError message="x" />);
  expect(screen.getByTestId("startup-error").textContent).toContain("Practice Contact Sync could not start");
});
