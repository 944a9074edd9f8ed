// Shown when the pane cannot start (bad config.json, no host): says what is wrong and what to do. It
// follows Outlook's theme (or, outside Office, the system's), like the pane, so a dark Outlook does not
// flash a white box.
import { FluentProvider, MessageBar, MessageBarBody, MessageBarTitle, webDarkTheme, webLightTheme } from "@fluentui/react-components";
import { themeFromBackground } from "../outlook/office-host/theme";
import { catalogueLocaleFor, displayLanguage } from "./i18n/locales";
import { createTranslator } from "./i18n/translator";

/** Office's theme when office.js has one, else prefers-color-scheme. */
export function startupTheme(): "light" | "dark" {
  const office = (globalThis as { Office?: { context?: { officeTheme?: { bodyBackgroundColor?: string } | null } } }).Office;
  let fromOffice: "light" | "dark" | null;
  try {
    fromOffice = themeFromBackground(office?.context?.officeTheme?.bodyBackgroundColor);
  } catch {
    fromOffice = null; // office.js not initialized: its context getters may throw
  }
  if (fromOffice) return fromOffice;
  return typeof matchMedia === "function" && matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function StartupError({ message }: { message: string }) {
  const theme = startupTheme();
  // Office's display language if office.js got that far, else the browser's.
  const { t } = createTranslator({ locale: catalogueLocaleFor(displayLanguage(true)) });
  return (
    <FluentProvider theme={theme === "dark" ? webDarkTheme : webLightTheme} data-theme={theme} style={{ minHeight: "100vh" }}>
      <div style={{ padding: 12 }}>
        <MessageBar intent="error" data-testid="startup-error">
          <MessageBarBody>
            <MessageBarTitle>{t("startup.title")}</MessageBarTitle>
            {message} {t("startup.advice")}
          </MessageBarBody>
        </MessageBar>
      </div>
    </FluentProvider>
  );
}
