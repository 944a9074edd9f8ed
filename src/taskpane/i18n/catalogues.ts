// Every shipped catalogue, by locale. en-US defines the keys; every other catalogue is typed as
// Catalogue, so a missing or extra key fails the type check (and test/taskpane/i18n checks the
// placeholders and plural forms match).
import { enUS } from "./en-US";
import { esES } from "./es-ES";
import type { CatalogueLocale } from "./locales";
import type { Message } from "./message-format";

export type MessageKey = keyof typeof enUS;
export type Catalogue = Record<MessageKey, Message>;

export const CATALOGUES: Record<CatalogueLocale, Catalogue> = { "en-US": enUS, "es-ES": esES };
