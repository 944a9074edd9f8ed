// The catalogues by locale. en-US defines the keys and is always loaded; every other catalogue is
// typed Catalogue, so a missing or extra key fails the type check (test/taskpane/i18n checks the
// placeholders and plural forms), and is its own chunk, fetched only by a pane that speaks it: each
// added language costs the others nothing at first load.
import { enUS } from "./en-US";
import type { CatalogueLocale } from "./locales";
import type { Message } from "./message-format";

export type MessageKey = keyof typeof enUS;
export type Catalogue = Record<MessageKey, Message>;

const LOADERS: Record<CatalogueLocale, () => Promise<Catalogue>> = {
  "en-US": () => Promise.resolve(enUS),
  "es-ES": () => import(/* webpackChunkName: "locale-es-ES" */ "./es-ES").then((m) => m.esES),
};

const loaded: Partial<Record<CatalogueLocale, Catalogue>> = { "en-US": enUS };

/** The catalogue if it is loaded (en-US always is). */
export function loadedCatalogue(locale: CatalogueLocale): Catalogue | undefined {
  return loaded[locale];
}

/** Fetches a locale's catalogue once; later calls resolve at once. */
export async function loadCatalogue(locale: CatalogueLocale): Promise<Catalogue> {
  const have = loaded[locale];
  if (have) return have;
  const catalogue = await LOADERS[locale]();
  loaded[locale] = catalogue;
  return catalogue;
}
