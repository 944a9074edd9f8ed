// Every catalogue at once, for tests and tools (the pane loads them one at a time: catalogues.ts).
import type { Catalogue } from "./catalogues";
import { enUS } from "./en-US";
import { esES } from "./es-ES";
import type { CatalogueLocale } from "./locales";

export const CATALOGUES: Record<CatalogueLocale, Catalogue> = { "en-US": enUS, "es-ES": esES };
