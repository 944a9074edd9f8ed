// The pane's translator, available to every view. App provides one built from the display language
// and the firm's terminology; without a provider (a view rendered on its own) the words are English
// with whatever terms a TermsProvider gives.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { useTerms } from "../terminology-context";
import { loadCatalogue, loadedCatalogue } from "./catalogues";
import { FALLBACK_LOCALE, type CatalogueLocale } from "./locales";
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

/**
 * The locale to speak now: the wanted one once its catalogue is loaded (the entry preloads it, so
 * normally at once), en-US until then or if it cannot be fetched.
 */
export function useLoadedLocale(wanted: CatalogueLocale): CatalogueLocale {
  const [, setLoads] = useState(0);
  const ready = !!loadedCatalogue(wanted);
  useEffect(() => {
    if (ready) return;
    let live = true;
    loadCatalogue(wanted)
      .then(() => live && setLoads((n) => n + 1))
      .catch(() => undefined); // stays in en-US: the words are still all there
    return () => {
      live = false;
    };
  }, [wanted, ready]);
  return ready ? wanted : FALLBACK_LOCALE;
}
