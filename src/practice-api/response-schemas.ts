// Checks of every response the client reads. The client trusts nothing it has not checked: a response
// that does not match throws MalformedResponseError before anything uses it.
// The large ones (contact pages, change pages, batch answers: 50,000 contacts in a first sync) are
// checked against the contract's own schemas (response-contract.json, generated from openapi.yaml),
// compiled into checks when this module loads (schema-check.ts); per-field zod parsing of them took more
// time than the server and the wire together (docs/benchmarks.md).
// The small ones are zod schemas mirroring openapi.yaml; unknown extra properties are dropped there.
// Unknown properties of a contact are ignored by the mapping (contact-mapping.ts), so a newer server
// may add some; wrong types are errors.
import { z } from "zod";
import contract from "./response-contract.json";
import type { components } from "./schema";
import { compileSchema, type JsonSchema } from "./schema-check";

/** One reason a response was refused, in the shape the client reports (path, message). */
export interface ResponseIssue {
  path: PropertyKey[];
  message: string;
}

/** What the client needs of a check: zod's safeParse, or a compiled validator behind the same face. */
export interface ResponseCheck<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: { issues: ResponseIssue[] } };
}

const DEFS = contract as Record<string, JsonSchema>;

function compiled<T>(name: keyof typeof contract): ResponseCheck<T> {
  const check = compileSchema(DEFS[name], DEFS);
  return {
    safeParse(data) {
      const issue = check(data, []);
      return issue ? { success: false, error: { issues: [issue] } } : { success: true, data: data as T };
    },
  };
}

type Schemas = components["schemas"];
export const ContactPageSchema = compiled<Schemas["ContactPage"]>("ContactPage");
export const ChangePageSchema = compiled<Schemas["ChangePage"]>("ChangePage");
export const BatchResponseSchema = compiled<Schemas["BatchResponse"]>("BatchResponse");

const IsoDateTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not a date-time");

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string().optional(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  holder: z.object({ staffId: z.string(), name: z.string(), device: z.string().optional() }).optional(),
  expiresAt: z.string().optional(),
  sameStaff: z.boolean().optional(),
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
  holder: z.object({ staffId: z.string(), name: z.string(), device: z.string().optional() }),
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
      replacedBy: z.string().min(1).optional(),
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
