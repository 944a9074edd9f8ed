// Where Microsoft is silent or users observed one answer, the emulator answers the strict way by
// default, and each answer can be switched (admin API: POST /admin/behaviour) to the other plausible
// one, so tests can show the adapter converges under both. docs/emulator.md lists each with its source.
import { badRequest } from "./errors";

export interface Behaviour {
  /**
   * `$expand` or `$filter` on contact delta. "refuse": 400 (only `$select` is documented: api/contact-delta.md;
   * the same `$expand` on message/event delta was seen failing, microsoft-graph-docs#2270, #1993).
   * "ignore": the option is dropped silently, the other plausible answer.
   */
  deltaQueryOptions: "refuse" | "ignore";
  /**
   * A string `eq` on a contact's extended property value in `$filter`. "refuse": 400 (string operators are
   * documented for message and event only: api/singlevaluelegacyextendedproperty-get.md). "empty": 200 with
   * no contacts (seen on events, msgraph-sdk-dotnet#618). "evaluate": filtered as asked.
   */
  stringFilterOnContacts: "refuse" | "empty" | "evaluate";
  /**
   * Delta on a folder reached through a delegated share. "refuse": 404 ErrorItemNotFound (seen on message
   * delta of a shared folder, microsoft-graph-docs#12427; no `.Shared` permission in the delta page).
   * "allow": served like any folder.
   */
  sharedFolderDelta: "refuse" | "allow";
  /** An address set to null in a POST/PATCH body. "error500": as observed (msgraph-sdk-dotnet#2368). "clear". */
  nullAddress: "error500" | "clear";
  /**
   * An email address written without a name. "address": it reads back with the address as its name
   * (Microsoft staff, OfficeDev/outlook-dev-docs#159). "null": it reads back with no name.
   */
  unnamedEmail: "address" | "null";
  /**
   * Birthdays read back as a DateTimeOffset (metadata type; the delta example shows a time): the stored
   * date's midnight in a zone this many minutes east of UTC, written in UTC. 0 gives T00:00:00Z; 120
   * gives 22:00Z the day before. null answers the date alone, as the C-UPD example does.
   */
  birthdayZoneOffsetMinutes: number | null;
  /**
   * Delta updates carry only the id and changeKey instead of the `$select` set (the overview promises
   * "at least" the changed properties; message delta was seen sending three: microsoft-graph-docs#7776).
   */
  partialDeltaItems: boolean;
  /** `@removed` entries in a first round (contacts deleted before it), which the overview allows. */
  removedInFirstRound: boolean;
  /**
   * `GET /users/{upn}/contactFolders` by a delegate. "default-folder-grant": 403 ErrorAccessDenied unless the
   * default Contacts folder is shared with the caller (only GET by folder id is documented for shared
   * folders: concepts/outlook-get-shared-contacts-folders.md; research/graph-checks.md row 3). "shared-children":
   * the children shared with the caller are listed.
   */
  delegateRootListing: "default-folder-grant" | "shared-children";
}

export const STRICT_BEHAVIOUR: Behaviour = {
  deltaQueryOptions: "refuse",
  stringFilterOnContacts: "refuse",
  sharedFolderDelta: "refuse",
  nullAddress: "error500",
  unnamedEmail: "address",
  birthdayZoneOffsetMinutes: 0,
  partialDeltaItems: false,
  removedInFirstRound: false,
  delegateRootListing: "default-folder-grant",
};

const CHOICES: { [K in keyof Behaviour]?: readonly unknown[] } = {
  deltaQueryOptions: ["refuse", "ignore"],
  stringFilterOnContacts: ["refuse", "empty", "evaluate"],
  sharedFolderDelta: ["refuse", "allow"],
  nullAddress: ["error500", "clear"],
  unnamedEmail: ["address", "null"],
  partialDeltaItems: [true, false],
  removedInFirstRound: [true, false],
  delegateRootListing: ["default-folder-grant", "shared-children"],
};

/** Checks a partial behaviour (admin body or start-up option); throws a 400 naming the bad key. */
export function parseBehaviour(input: unknown): Partial<Behaviour> {
  if (input === null || typeof input !== "object" || Array.isArray(input)) throw badRequest("The behaviour must be a JSON object.");
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (key === "birthdayZoneOffsetMinutes") {
      if (value !== null && (typeof value !== "number" || !Number.isInteger(value) || Math.abs(value) > 14 * 60)) {
        throw badRequest("birthdayZoneOffsetMinutes must be null or whole minutes between -840 and 840.");
      }
      out[key] = value;
      continue;
    }
    const allowed = CHOICES[key as keyof Behaviour];
    if (!allowed) throw badRequest(`Unknown behaviour '${key}'. Known: ${Object.keys(STRICT_BEHAVIOUR).join(", ")}.`);
    if (!allowed.includes(value)) throw badRequest(`${key} must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}.`);
    out[key] = value;
  }
  return out as Partial<Behaviour>;
}
