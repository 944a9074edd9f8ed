// The reference practice server: startPracticeServer() for tests, other engineers and the CLI.
import type { FastifyInstance } from "fastify";
import { buildApp } from "./app";
import { createAuthenticator } from "./auth";
import { ContactsRepo, type NewContact } from "./contacts-repo";
import type { ServerContext } from "./context";
import { openDatabase } from "./db";
import { FiltersRepo } from "./filters-repo";
import { FirmsRepo, type StaffMember } from "./firms-repo";
import { IdempotencyRepo } from "./idempotency-repo";
import { DecisionsRepo } from "./decisions-repo";
import { LeasesRepo } from "./leases-repo";
import { DEFAULT_MAX_DECISIONS_PER_FOLDER } from "./routes/decisions";
import { seedDemo } from "./seed-demo";
import { createValidators } from "./validators";

export { DEMO_FIRM_ID } from "./seed-demo";
export { DEV_ISSUER, DEFAULT_AUDIENCE, READ_SCOPE, WRITE_SCOPE } from "./auth";

export const DEFAULT_CORS_ORIGINS = ["http://127.0.0.1:3000", "https://localhost:3000"];
export const DEFAULT_RATE_LIMIT = { max: 1200, timeWindowMs: 60_000 };
export const DEFAULT_TOMBSTONE_RETENTION_MS = 30 * 24 * 3600 * 1000;

export interface PracticeServerOptions {
  port?: number;
  host?: string;
  /** A file (WAL) or ":memory:" (the default). */
  db?: string;
  /** "demo" seeds only an empty database. */
  seed?: "demo" | "none";
  devAuth?: boolean;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  corsOrigins?: string[];
  rateLimit?: { max: number; timeWindowMs: number } | false;
  tombstoneRetentionMs?: number;
  /** Folder decisions kept per principal and folder (default 50,000). */
  maxDecisionsPerFolder?: number;
  logger?: boolean;
  /** Where logs go when logger is on (default stdout); tests capture them to prove what is never logged. */
  logStream?: { write(line: string): void };
  /** Test hook: the server's clock (ms since the epoch); lease expiry, tombstones and token expiry use it. */
  now?: () => number;
}

export interface FirmSpec {
  id: string;
  name: string;
  staff: Omit<StaffMember, "firmId">[];
  contacts?: NewContact[];
}

export interface PracticeServer {
  /** http://HOST:PORT, no trailing slash. The API is under /api/v1. */
  url: string;
  close(): Promise<void>;
  /** Test hook: adds a firm with staff and contacts (e.g. a second firm to prove isolation). */
  addFirm(spec: FirmSpec): void;
  /** Test hook: inserts many contacts fast, without HTTP (benchmarks). */
  insertContacts(firmId: string, contacts: NewContact[]): void;
  /** Test hook: the Fastify app, for inject(). */
  app: FastifyInstance;
}

export async function startPracticeServer(opts: PracticeServerOptions = {}): Promise<PracticeServer> {
  const now = opts.now ?? Date.now;
  const db = openDatabase(opts.db ?? ":memory:");
  const firms = new FirmsRepo(db);
  const contacts = new ContactsRepo(db, now);
  const filters = new FiltersRepo(db, now);
  if (opts.seed === "demo" && firms.isEmpty()) seedDemo({ firms, contacts, filters }, db);
  const ctx: ServerContext = {
    db,
    contacts,
    filters,
    firms,
    idempotency: new IdempotencyRepo(db, now),
    leases: new LeasesRepo(db),
    decisions: new DecisionsRepo(db),
    maxDecisionsPerFolder: opts.maxDecisionsPerFolder ?? DEFAULT_MAX_DECISIONS_PER_FOLDER,
    validators: createValidators(),
    auth: await createAuthenticator({ devAuth: !!opts.devAuth, jwksUrl: opts.jwksUrl, issuer: opts.issuer, audience: opts.audience, now }),
    now,
    tombstoneRetentionMs: opts.tombstoneRetentionMs ?? DEFAULT_TOMBSTONE_RETENTION_MS,
  };
  const app = await buildApp(ctx, {
    corsOrigins: opts.corsOrigins ?? DEFAULT_CORS_ORIGINS,
    rateLimit: opts.rateLimit === undefined ? DEFAULT_RATE_LIMIT : opts.rateLimit,
    logger: !!opts.logger,
    logStream: opts.logStream,
    devAuth: !!opts.devAuth,
  });
  const host = opts.host ?? "127.0.0.1";
  await app.listen({ port: opts.port ?? 0, host });
  const addr = app.server.address();
  const port = typeof addr === "object" && addr ? addr.port : opts.port;
  const urlHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  let closed = false;
  return {
    url: `http://${urlHost}:${port}`,
    app,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      db.close();
    },
    addFirm(spec) {
      db.transaction(() => {
        firms.createFirm(spec.id, spec.name);
        spec.staff.forEach((s, i) => firms.addStaff({ ...s, firmId: spec.id }, i));
        for (const c of spec.contacts ?? []) contacts.create(spec.id, c);
      })();
    },
    insertContacts(firmId, list) {
      db.transaction(() => {
        for (const c of list) contacts.create(firmId, c);
      })();
    },
  };
}

