// The pane's entry: load config.json, build the services (which waits for Office.onReady when
// office.js is present, and starts directly in a plain browser), then render the App.
import { createRoot } from "react-dom/client";
import { PaneRoot } from "./App";
import { buildPaneServices } from "./composition";
import { loadConfig } from "./config";
import { loadCatalogue } from "./i18n/catalogues";
import { catalogueLocaleFor, displayLanguage } from "./i18n/locales";
import { messageOf } from "./safety-stop";
import { StartupError } from "./StartupError";

async function start(): Promise<void> {
  // unsupported-webview.js already told the user to update Outlook: leave that message in place.
  if ((window as { __pcsUnsupportedWebview?: string }).__pcsUnsupportedWebview) return;
  const container = document.getElementById("container");
  if (!container) throw new Error("taskpane.html has no #container element.");
  const root = createRoot(container);
  try {
    const config = await loadConfig(window.location.href);
    const services = await buildPaneServices(config);
    await preloadWords(services.host.displayLanguage ?? displayLanguage(false));
    root.render(<PaneRoot services={services} />);
  } catch (err) {
    await preloadWords(displayLanguage(true));
    root.render(<StartupError message={messageOf(err)} />);
  }
}

/** The catalogue of the display language, fetched before the first render so no English flashes. */
async function preloadWords(language: string | null): Promise<void> {
  await loadCatalogue(catalogueLocaleFor(language)).catch(() => undefined); // en-US is always there
}

void start();
