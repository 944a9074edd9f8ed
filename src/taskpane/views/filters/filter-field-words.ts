// The filter fields' names and the kind field's values in the pane's language. The practice API
// names its filter fields in English (GET /filter-fields); a field the pane knows by its name gets
// the catalogue's words, any other keeps the API's label.
import type { MessageKey } from "../../i18n/catalogues";
import { ENGLISH, type Translator } from "../../i18n/translator";
import type { FilterFieldInfo } from "../../services";

const FIELD_WORDS: Readonly<Record<string, MessageKey>> = {
  kind: "filterField.kind",
  clientCode: "filterField.clientCode",
  status: "filterField.status",
  partnerId: "filterField.partnerId",
  managerId: "filterField.managerId",
  associateId: "filterField.associateId",
  office: "filterField.office",
  entityType: "filterField.entityType",
  displayName: "filterField.displayName",
  givenName: "filterField.givenName",
  surname: "filterField.surname",
  companyName: "filterField.companyName",
  jobTitle: "filterField.jobTitle",
  "businessAddress.city": "filterField.city",
  "businessAddress.state": "filterField.state",
  "businessAddress.postalCode": "filterField.postalCode",
  "businessAddress.countryOrRegion": "filterField.countryOrRegion",
  emailAddresses: "filterField.emailAddresses",
  categories: "filterField.categories",
  birthday: "filterField.birthday",
};

export function filterFieldLabel(field: Pick<FilterFieldInfo, "name" | "label">, t: Translator = ENGLISH): string {
  const key = Object.hasOwn(FIELD_WORDS, field.name) ? FIELD_WORDS[field.name] : undefined;
  return key ? t.t(key) : field.label;
}

/** An option of an enum field as shown: the kind field's values are the firm's terms. */
export function optionLabel(fieldName: string, value: string, t: Translator = ENGLISH): string {
  if (fieldName === "kind" && value === "client") return t.t("filterField.kindClient");
  if (fieldName === "kind" && value === "standalone") return t.t("filterField.kindStandalone");
  return value;
}
