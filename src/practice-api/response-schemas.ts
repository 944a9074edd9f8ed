// zod schemas for every response the client reads, mirroring openapi.yaml. The client trusts nothing it
// has not parsed: a response that does not match throws MalformedResponseError before anything uses it.
// Unknown extra properties are dropped (a newer server may add some); wrong types are errors.
import { z } from "zod";
import { FIELD_SPECS } from "../sync/fields";
import { ATTRIBUTE_NAMES } from "./contact-mapping";

const EmailAddress = z.object({ name: z.string().optional(), address: z.string() });
const PhysicalAddress = z.object({
  street: z.string().optional(),
  city: z.string().optional(),
  state: z.string().optional(),
  postalCode: z.string().optional(),
  countryOrRegion: z.string().optional(),
});

const fieldShape: Record<string, z.ZodType> = {};
for (const spec of FIELD_SPECS) {
  switch (spec.kind) {
    case "string":
    case "date":
      fieldShape[spec.name] = z.string().optional();
      break;
    case "stringList":
      fieldShape[spec.name] = z.array(z.string()).optional();
      break;
    case "emailList":
      fieldShape[spec.name] = z.array(EmailAddress).optional();
      break;
    case "address":
      fieldShape[spec.name] = PhysicalAddress.optional();
      break;
  }
}
for (const name of ATTRIBUTE_NAMES) fieldShape[name] = z.string().optional();

const IsoDateTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not a date-time");

export const ContactSchema = z.object({
  ...fieldShape,
  id: z.string().min(1),
  kind: z.enum(["client", "standalone"]),
  updatedAt: IsoDateTime,
  version: z.string().min(1),
});

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string().optional(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  holder: z.object({ staffId: z.string(), name: z.string() }).optional(),
  expiresAt: z.string().optional(),
});

export const ContactPageSchema = z.object({
  items: z.array(ContactSchema),
  nextCursor: z.string().min(1).nullable().optional(),
  changeCursor: z.string().min(1).optional(),
});

export const ChangePageSchema = z.object({
  changes: z.array(
    z.discriminatedUnion("type", [
      z.object({ type: z.literal("upsert"), contact: ContactSchema }),
      z.object({ type: z.literal("delete"), id: z.string().min(1), deletedAt: IsoDateTime }),
    ]),
  ),
  cursor: z.string().min(1),
  hasMore: z.boolean(),
});

export const BatchResponseSchema = z.object({
  results: z.array(z.object({ status: z.number().int(), contact: ContactSchema.optional(), problem: ProblemSchema.optional() })),
});

export const StaffSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.enum(["admin", "staff"]),
  initials: z.string(),
});

export const MeSchema = z.object({
  staff: StaffSchema,
  firm: z.object({ id: z.string().min(1), name: z.string() }),
  scopes: z.array(z.string()),
});

const Term = z.object({ singular: z.string(), plural: z.string() });
const Terms = z.object({ client: Term, contact: Term, standalone: Term });
export const TerminologySchema = z.object({ terms: Terms, defaults: Terms, customized: z.boolean() });

export const StaffListSchema = z.object({ items: z.array(StaffSchema) });

const FilterMethod = z.enum(["equals", "list", "range", "contains", "beginsWith", "isBlank", "isNotBlank"]);

export const FilterFieldListSchema = z.object({
  items: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      type: z.enum(["string", "date", "enum"]),
      options: z.array(z.string()).optional(),
      methods: z.array(FilterMethod),
    }),
  ),
});

export const FilterSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  match: z.enum(["all", "any"]),
  criteria: z.array(z.object({ field: z.string(), method: FilterMethod, values: z.array(z.string()) })),
  ownerId: z.string(),
  updatedAt: IsoDateTime,
  version: z.string(),
});

export const FilterListSchema = z.object({ items: z.array(FilterSchema) });

export const LeaseSchema = z.object({
  folderKey: z.string(),
  holder: z.object({ staffId: z.string(), name: z.string() }),
  acquiredAt: IsoDateTime,
  expiresAt: IsoDateTime,
  expired: z.boolean(),
});

export const FolderDecisionsSchema = z.object({
  folderKey: z.string(),
  decisions: z.array(
    z.object({
      practiceId: z.string().min(1),
      kind: z.enum(["excluded", "retired"]),
      outlookId: z.string().min(1).optional(),
      made: z.string().min(1).optional(),
      at: IsoDateTime,
    }),
  ),
});

export type MeResponse = z.infer<typeof MeSchema>;
export type TerminologyResponse = z.infer<typeof TerminologySchema>;
export type StaffResponse = z.infer<typeof StaffSchema>;
export type FilterFieldResponse = z.infer<typeof FilterFieldListSchema>["items"][number];
export type FilterResponse = z.infer<typeof FilterSchema>;
export type LeaseResponse = z.infer<typeof LeaseSchema>;
