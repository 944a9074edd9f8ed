// Adapts the practice API client to what the views need: identity, the firm's words, staff,
// filter fields and filter CRUD, with the API's problem responses turned into ProblemError.
import type { ContactFilter, FilterDefinition, FilterFieldType } from "../../sync/filters";
import type { PracticeContact } from "../../sync/model";
import { ProblemError, type FilterFieldInfo, type PaneIdentity, type PracticeServices, type StaffMember } from "../services";
import type { Terminology } from "../terminology";

/** The slice of src/practice-api/client.ts the pane uses (structural, so tests can fake it). */
export interface PracticeClientLike {
  me(): Promise<{ staff: { id: string; name: string; email?: string }; firm: { id: string; name: string } }>;
  terminology(): Promise<{ terms: Record<"client" | "contact" | "standalone", { singular: string; plural: string }> }>;
  staff(): Promise<{ id: string; name: string }[]>;
  filterFields(): Promise<{ name: string; label: string; type: FilterFieldType; options?: string[] }[]>;
  listFilters(): Promise<ContactFilter[]>;
  createFilter(def: FilterDefinition): Promise<ContactFilter>;
  updateFilter(id: string, def: FilterDefinition): Promise<ContactFilter>;
  deleteFilter(id: string): Promise<void>;
  listContacts(filterId: string | null, opts?: { signal?: AbortSignal }): Promise<{ contacts: PracticeContact[] }>;
}

interface ProblemLike {
  status: number;
  problem: { title?: string; detail?: string; errors?: { path: string; message: string }[] };
}

function isProblem(err: unknown): err is ProblemLike {
  return (
    !!err &&
    typeof err === "object" &&
    typeof (err as ProblemLike).status === "number" &&
    !!(err as ProblemLike).problem &&
    typeof (err as ProblemLike).problem === "object"
  );
}

/** The API's explanation as a ProblemError; anything else unchanged. */
export function toProblemError(err: unknown): unknown {
  if (!isProblem(err)) return err;
  const p = err.problem;
  return new ProblemError(err.status, p.title || `The practice API answered ${err.status}.`, p.detail, p.errors ?? []);
}

async function explained<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toProblemError(err);
  }
}

/** Only the fields of a filter the views use, so nothing else of the API's answer leaks in. */
function filterOf(f: ContactFilter): ContactFilter {
  return { id: f.id, name: f.name, match: f.match, criteria: f.criteria, ownerId: f.ownerId, updatedAt: f.updatedAt };
}

export function createPracticeServices(client: PracticeClientLike): PracticeServices {
  return {
    me: () =>
      explained(async (): Promise<PaneIdentity> => {
        const m = await client.me();
        return { staffId: m.staff.id, name: m.staff.name, email: m.staff.email, firmName: m.firm.name };
      }),
    terminology: () =>
      explained(async (): Promise<Partial<Terminology>> => {
        const { terms } = await client.terminology();
        return {
          client: terms.client.singular,
          clients: terms.client.plural,
          contact: terms.contact.singular,
          contacts: terms.contact.plural,
          standalone: terms.standalone.singular,
          standalones: terms.standalone.plural,
        };
      }),
    staff: () => explained(async (): Promise<StaffMember[]> => (await client.staff()).map((s) => ({ id: s.id, name: s.name }))),
    filterFields: () =>
      explained(async (): Promise<FilterFieldInfo[]> =>
        (await client.filterFields()).map((f) => ({ name: f.name, label: f.label, type: f.type, ...(f.options ? { options: f.options } : {}) })),
      ),
    listFilters: () => explained(async () => (await client.listFilters()).map(filterOf)),
    createFilter: (def) => explained(async () => filterOf(await client.createFilter(def))),
    updateFilter: (id, def) => explained(async () => filterOf(await client.updateFilter(id, def))),
    deleteFilter: (id) => explained(() => client.deleteFilter(id)),
    listContacts: (opts) => explained(async () => (await client.listContacts(null, opts)).contacts),
  };
}
