// The pane's translator, available to every view (App builds it from the display language and the
// firm's terminology).
import { createContext, useContext, type ReactNode } from "react";
import { ENGLISH, type Translator } from "./translator";

const I18nContext = createContext<Translator>(ENGLISH);

export function I18nProvider({ translator, children }: { translator: Translator; children: ReactNode }) {
  return <I18nContext.Provider value={translator}>{children}</I18nContext.Provider>;
}

export function useI18n(): Translator {
  return useContext(I18nContext);
}
