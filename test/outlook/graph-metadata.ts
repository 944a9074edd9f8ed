// Microsoft's Graph v1.0 metadata for the contact types (fixtures/graph-v1-contact-metadata.xml, extracted
// unchanged from microsoftgraph/msgraph-metadata, see its header) and a checker that a JSON value
// conforms to a type: every property exists on the type (or its base types) with that type.
import { readFileSync } from "node:fs";
import path from "node:path";

export interface EdmType {
  name: string;
  baseType?: string;
  properties: Map<string, string>;
}

export function loadMetadata(): Map<string, EdmType> {
  const xml = readFileSync(path.join(__dirname, "emulator", "fixtures", "graph-v1-contact-metadata.xml"), "utf8");
  const types = new Map<string, EdmType>();
  // The file is flat and regular: one element per line, types closed before the next opens.
  const typeRe = /<(EntityType|ComplexType) Name="([^"]+)"(?: BaseType="([^"]+)")?[^>]*?(\/>|>([\s\S]*?)<\/\1>)/g;
  for (const m of xml.matchAll(typeRe)) {
    const properties = new Map<string, string>();
    for (const p of (m[5] ?? "").matchAll(/<(?:Navigation)?Property Name="([^"]+)" Type="([^"]+)"/g)) properties.set(p[1], p[2]);
    types.set(`graph.${m[2]}`, { name: m[2], baseType: m[3], properties });
  }
  if (types.size < 5) throw new Error("the metadata file did not parse");
  return types;
}

/** The property's declared type, walking base types; undefined when the type has no such property. */
export function propertyType(types: Map<string, EdmType>, typeName: string, prop: string): string | undefined {
  for (let t = types.get(typeName); t; t = t.baseType ? types.get(t.baseType) : undefined) {
    const found = t.properties.get(prop);
    if (found) return found;
  }
  return undefined;
}

const DATE_TIME_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Every way `value` departs from `typeName`, as "path: problem" lines (empty when it conforms). */
export function conformance(types: Map<string, EdmType>, typeName: string, value: unknown, at = "$"): string[] {
  const problems: string[] = [];
  const collection = /^Collection\((.+)\)$/.exec(typeName);
  if (value === null) return problems; // nullability is not what these checks are about
  if (collection) {
    if (!Array.isArray(value)) return [`${at}: expected ${typeName}, got ${typeof value}`];
    value.forEach((v, i) => problems.push(...conformance(types, collection[1], v, `${at}[${i}]`)));
    return problems;
  }
  switch (typeName) {
    case "Edm.String":
      return typeof value === "string" ? [] : [`${at}: expected Edm.String, got ${JSON.stringify(value)}`];
    case "Edm.DateTimeOffset":
      return typeof value === "string" && DATE_TIME_OFFSET.test(value) && !Number.isNaN(Date.parse(value))
        ? []
        : [`${at}: expected Edm.DateTimeOffset, got ${JSON.stringify(value)}`];
  }
  if (!types.has(typeName)) return [`${at}: type ${typeName} is not in the metadata file`];
  if (typeof value !== "object" || Array.isArray(value)) return [`${at}: expected ${typeName}, got ${JSON.stringify(value)}`];
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key.startsWith("@")) continue; // OData annotations (@odata.etag, @removed): not properties
    const declared = propertyType(types, typeName, key);
    if (!declared) problems.push(`${at}.${key}: no such property on ${typeName}`);
    else problems.push(...conformance(types, declared, v, `${at}.${key}`));
  }
  return problems;
}
