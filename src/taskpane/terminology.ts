// The firm's words for "client" and "contact" (customizable terminology, DESIGN §1.6), with the
// product's defaults behind a switch.
export interface Terminology {
  client: string;
  clients: string;
  contact: string;
  contacts: string;
  standalone: string;
  standalones: string;
}

export const DEFAULT_TERMINOLOGY: Terminology = {
  client: "Client",
  clients: "Clients",
  contact: "Contact",
  contacts: "Contacts",
  standalone: "Standalone contact",
  standalones: "Standalone contacts",
};

/** Firm terms where they are usable (non-blank), defaults otherwise or when the user asks for them. */
export function resolveTerminology(firm: Partial<Terminology> | null | undefined, useDefault: boolean): Terminology {
  if (useDefault || !firm) return DEFAULT_TERMINOLOGY;
  const pick = (k: keyof Terminology) => {
    const v = firm[k];
    return typeof v === "string" && v.trim() !== "" ? v.trim() : DEFAULT_TERMINOLOGY[k];
  };
  return {
    client: pick("client"),
    clients: pick("clients"),
    contact: pick("contact"),
    contacts: pick("contacts"),
    standalone: pick("standalone"),
    standalones: pick("standalones"),
  };
}

/** "Contacts" -> "contacts" for use mid-sentence, leaving a leading acronym ("CRM records") alone. */
export function lower(word: string): string {
  const first = word.split(/\s+/)[0];
  return first.length > 1 && first === first.toUpperCase() ? word : word.charAt(0).toLowerCase() + word.slice(1);
}
