// --seed demo: a user with personal contacts in a few folders (nested too) and a shared mailbox whose
// contacts folder is shared with that user, the way a firm replaces a public-folder address book (SHARED).
import { applyContactBody, DEFAULT_CAPS } from "./contact-shape";
import { applyExtendedProperties } from "./extended-properties";
import { createFolder, ensureMailbox, insertContact } from "./mailbox-store";
import type { EmulatorState, Mailbox } from "./state-types";

export const DEMO_USER = "anna@harbour.example";
export const DEMO_SHARED_MAILBOX = "contacts@harbour.example";
export const DEMO_COLLEAGUE = "ben@harbour.example";

type Person = [givenName: string, surname: string, company: string, email: string, phone?: string];

function add(mailbox: Mailbox, folderId: string, people: Person[], now: Date): void {
  for (const [givenName, surname, companyName, email, phone] of people) {
    const body: Record<string, unknown> = {
      givenName,
      surname,
      companyName,
      emailAddresses: [{ name: `${givenName} ${surname}`, address: email }],
      businessPhones: phone ? [phone] : [],
    };
    const { props } = applyContactBody({}, body, DEFAULT_CAPS, true);
    insertContact(mailbox, folderId, props, {}, now);
  }
}

export function seedDemo(state: EmulatorState, now = new Date()): void {
  const anna = ensureMailbox(state, DEMO_USER, "Anna Lindqvist");
  ensureMailbox(state, DEMO_COLLEAGUE, "Ben Okafor");
  add(anna, anna.contactsFolderId, [
    ["Maja", "Lindqvist", "", "maja.lindqvist@example.net", "+46 8 555 0101"],
    ["Tom", "Becker", "Becker Plumbing", "tom@becker-plumbing.example", "+46 8 555 0102"],
  ], now);
  const clients = createFolder(anna, anna.contactsFolderId, "Clients");
  add(anna, clients.id, [
    ["Erik", "Sandberg", "Sandberg Bygg AB", "erik@sandbergbygg.example", "+46 31 555 0110"],
    ["Lena", "Holm", "Holm & Partners", "lena.holm@holmpartners.example", "+46 31 555 0111"],
    ["Omar", "Haddad", "Haddad Imports", "omar@haddadimports.example"],
  ], now);
  const priority = createFolder(anna, clients.id, "Priority");
  add(anna, priority.id, [["Sofia", "Berg", "Berg Shipping", "sofia.berg@bergshipping.example", "+46 31 555 0120"]], now);
  const suppliers = createFolder(anna, anna.contactsFolderId, "Suppliers");
  add(anna, suppliers.id, [["Nils", "Ek", "Ek Office Supplies", "orders@ekoffice.example", "+46 8 555 0130"]], now);

  const shared = ensureMailbox(state, DEMO_SHARED_MAILBOX, "Harbour Contacts");
  add(shared, shared.contactsFolderId, [["Reception", "Desk", "Harbour Accountants", "reception@harbour.example", "+46 8 555 0100"]], now);
  const firm = createFolder(shared, shared.contactsFolderId, "Firm address book");
  add(shared, firm.id, [
    ["Karin", "Nyström", "Nyström Fastigheter", "karin@nystromfast.example", "+46 8 555 0140"],
    ["Jonas", "Wik", "Wik Consulting", "jonas@wikconsulting.example"],
  ], now);
  // One contact with a business fax held as a MAPI extended property (§1.4).
  const { props } = applyContactBody({}, { givenName: "Petra", surname: "Lund", companyName: "Lund Legal", emailAddresses: [{ address: "petra@lundlegal.example" }] }, DEFAULT_CAPS, true);
  insertContact(shared, firm.id, props, applyExtendedProperties({}, [{ id: "String 0x3A24", value: "+46 8 555 0199" }]), now);

  for (const folderId of [shared.contactsFolderId, firm.id]) {
    state.grants.push({ ownerUpn: shared.upn, folderId, granteeUpn: anna.upn, role: "write" });
  }
}
