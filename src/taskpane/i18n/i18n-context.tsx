// The pane's translator, available to every view. App provides one built from the display language
// and the firm's terminology; without a provider (a view rendered on its own) the words are English
// with whatever terms a TermsProvider gives.
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { useTerms } from "../terminology-context";
import { createTranslator, type Translator } from "./translator";

const I18nContext = createContext<Translator | null>(null);

export function I18nProvider({ translator, children }: { translator: Translator; children: ReactNode }) {
  return <I18nContext.Provider value={translator}>{children}</I18nContext.Provider>;
}

export function useI18n(): Translator {
  const provided = useContext(I18nContext);
  const terms = useTerms();
  const english = useMemo(() => (provided ? null : createTranslator({ terms })), [provided, terms]);
  return provided ?? english!;
}
