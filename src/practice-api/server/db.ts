// The reference server's SQLite database: opening (WAL for files) and schema migrations.
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import path from "node:path";

export type Db = Database.Database;

type Migration = string | ((db: Db) => void);

// Each migration runs once, in order, inside a transaction; PRAGMA user_version records how far we got.
const MIGRATIONS: Migration[] = [
  `
  CREATE TABLE firms (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    terms TEXT,
    last_seq INTEGER NOT NULL DEFAULT 0,
    purged_seq INTEGER NOT NULL DEFAULT 0,
    next_client_code INTEGER NOT NULL DEFAULT 10001
  );
  CREATE TABLE staff (
    id TEXT PRIMARY KEY,
    firm_id TEXT NOT NULL REFERENCES firms(id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    oid TEXT UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'staff')),
    initials TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX staff_firm ON staff(firm_id, position);
  CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    firm_id TEXT NOT NULL REFERENCES firms(id),
    kind TEXT NOT NULL CHECK (kind IN ('client', 'standalone')),
    fields TEXT NOT NULL,
    attributes TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    seq INTEGER NOT NULL,
    deleted_at TEXT
  );
  CREATE INDEX contacts_firm_id ON contacts(firm_id, id);
  CREATE INDEX contacts_firm_seq ON contacts(firm_id, seq);
  CREATE TABLE filters (
    id TEXT PRIMARY KEY,
    firm_id TEXT NOT NULL REFERENCES firms(id),
    owner_id TEXT NOT NULL,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
  );
  CREATE INDEX filters_firm ON filters(firm_id, name);
  CREATE TABLE idempotency (
    firm_id TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (firm_id, key)
  );
  CREATE TABLE leases (
    firm_id TEXT NOT NULL,
    folder_key TEXT NOT NULL,
    staff_id TEXT NOT NULL,
    acquired_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (firm_id, folder_key)
  );
  `,
  // 2: each contact's API JSON kept ready to send (listing 50,000 contacts no longer re-serializes them),
  // and an index for finding expired tombstones without scanning the firm's contacts.
  (db) => {
    db.exec("ALTER TABLE contacts ADD COLUMN doc TEXT");
    db.exec("CREATE INDEX contacts_tombstones ON contacts(firm_id, deleted_at) WHERE deleted_at IS NOT NULL");
    const rows = db.prepare<[], { id: string; kind: string; fields: string; attributes: string; updated_at: string; seq: number }>("SELECT * FROM contacts").all();
    const set = db.prepare("UPDATE contacts SET doc = ? WHERE id = ?");
    for (const r of rows) {
      const doc = { ...JSON.parse(r.fields), ...JSON.parse(r.attributes), id: r.id, kind: r.kind, updatedAt: r.updated_at, version: String(r.seq) };
      set.run(JSON.stringify(doc), r.id);
    }
  },
  // 3: the Entra ID tenant a firm signs in from (a token's `tid` names its firm). Nullable: the demo firm
  // and a firm tried in local mode have none. SQLite cannot add a UNIQUE column, so a unique index does it.
  `
  ALTER TABLE firms ADD COLUMN tenant_id TEXT;
  CREATE UNIQUE INDEX firms_tenant ON firms(tenant_id);
  `,
  // 4: what an imported file called each contact (a vCard UID, a key column's value, else its e-mail or
  // name), so importing the same file again updates those contacts instead of creating copies.
  `
  CREATE TABLE contact_import_keys (
    firm_id TEXT NOT NULL REFERENCES firms(id),
    key TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    PRIMARY KEY (firm_id, key)
  );
  `,
  // 5 (R2): the Outlook contact a record was made from, so a create naming it again returns that record
  // (at most one live record per reference; the mailbox compared case-insensitively); and each user's
  // decisions per folder (exclusions, retired contacts), shared by all of that user's devices. An absent
  // Outlook id is stored as '' so it can be part of the key.
  `
  ALTER TABLE contacts ADD COLUMN outlook_mailbox TEXT;
  ALTER TABLE contacts ADD COLUMN outlook_id TEXT;
  CREATE UNIQUE INDEX contacts_outlook_ref ON contacts(firm_id, lower(outlook_mailbox), outlook_id)
    WHERE deleted_at IS NULL AND outlook_id IS NOT NULL;
  CREATE TABLE folder_decisions (
    firm_id TEXT NOT NULL REFERENCES firms(id),
    owner TEXT NOT NULL,
    folder_key TEXT NOT NULL,
    practice_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('excluded', 'retired')),
    outlook_id TEXT NOT NULL DEFAULT '',
    made TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (firm_id, owner, folder_key, practice_id, kind, outlook_id)
  ) WITHOUT ROWID;
  `,
  // 6 (R18): which device or session of the staff member holds a lease, so two devices of one user do
  // not apply to one folder at the same time. NULL: taken by a client that does not say (older ones).
  `
  ALTER TABLE leases ADD COLUMN holder TEXT;
  `,
  // 7 (R2): the record a retired contact became when its own record was deleted and the user kept it.
  `
  ALTER TABLE folder_decisions ADD COLUMN replaced_by TEXT;
  `,
];

export function openDatabase(file: string): Db {
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  if (file !== ":memory:") db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("synchronous = NORMAL");
  migrate(db);
  return db;
}

/** Brings the schema up to `target` (default: the latest). */
export function migrate(db: Db, target = MIGRATIONS.length): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  for (let v = current; v < target; v++) {
    db.transaction(() => {
      const m = MIGRATIONS[v];
      if (typeof m === "string") db.exec(m);
      else m(db);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
