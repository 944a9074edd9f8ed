// The contract-schema checker the client uses for contact pages, change pages and batch answers.
import { compileSchema, type JsonSchema } from "../../src/practice-api/schema-check";

const check = (schema: JsonSchema, value: unknown, defs: Record<string, JsonSchema> = {}) => compileSchema(schema, defs)(value, []);

test("string length counts code points, as JSON Schema does: 255 emoji fit in maxLength 255", () => {
  const s = { type: "string", maxLength: 255 };
  expect(check(s, "😀".repeat(255))).toBeNull();
  expect(check(s, "😀".repeat(256))?.message).toBe("must NOT have more than 255 characters");
  expect(check({ type: "string", minLength: 2 }, "😀")?.message).toBe("must NOT have fewer than 2 characters");
});

test("required, closed objects and nested paths", () => {
  const defs = { Email: { type: "object", additionalProperties: false, required: ["address"], properties: { name: { type: "string" }, address: { type: "string" } } } };
  const list = { type: "object", properties: { emails: { type: "array", maxItems: 2, items: { $ref: "#/components/schemas/Email" } } } };
  expect(check(list, { emails: [{ address: "a@b" }] }, defs)).toBeNull();
  expect(check(list, { emails: [{ address: "a@b" }, { name: "x" }] }, defs)).toEqual({ path: ["emails", "1"], message: "must have required property 'address'" });
  expect(check(list, { emails: [{ address: "a@b", phone: "1" }] }, defs)).toEqual({ path: ["emails", "0"], message: "must NOT have additional property 'phone'" });
  expect(check(list, { emails: [{ address: "a" }, { address: "b" }, { address: "c" }] }, defs)?.message).toBe("must NOT have more than 2 items");
});

test("dates and date-times per RFC 3339, type lists with null, enum, const, oneOf, bounds", () => {
  expect(check({ type: "string", format: "date" }, "2028-02-29")).toBeNull();
  expect(check({ type: "string", format: "date" }, "2027-02-29")?.message).toBe("must be a date");
  expect(check({ type: "string", format: "date-time" }, "2026-11-25T07:00:00.000Z")).toBeNull();
  expect(check({ type: "string", format: "date-time" }, "2026-11-25T07:00:00")?.message).toBe("must be a date-time");
  expect(check({ type: ["string", "null"] }, null)).toBeNull();
  expect(check({ type: ["string", "null"] }, 3)?.message).toBe("must be string or null");
  expect(check({ type: "string", enum: ["client", "standalone"] }, "vendor")?.message).toMatch(/one of "client", "standalone"/);
  const change = { oneOf: [{ type: "object", required: ["type"], properties: { type: { const: "upsert" } } }, { type: "object", required: ["type"], properties: { type: { const: "delete" } } }] };
  expect(check(change, { type: "delete" })).toBeNull();
  expect(check(change, { type: "merge" })?.message).toMatch(/must match one of the allowed shapes/);
  expect(check({ type: "integer", minimum: 100, maximum: 599 }, 99)?.message).toBe("must be within 100..599");
  expect(check({ type: "integer" }, 2.5)?.message).toBe("must be integer");
});

test("a keyword the checker does not know is refused when compiling, not silently skipped", () => {
  expect(() => compileSchema({ type: "string", pattern: "^a" }, {})).toThrow(/keyword "pattern" is not supported/);
  expect(() => compileSchema({ type: "string", format: "email" }, {})).toThrow(/format "email"/);
  expect(() => compileSchema({ $ref: "#/components/schemas/Nope" }, {})).toThrow(/unknown \$ref/);
});
