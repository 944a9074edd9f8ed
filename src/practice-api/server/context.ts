// What every route needs: the repositories, the validators, the authenticator, the clock and the settings.
import type { Authenticator } from "./auth";
import type { ContactsRepo } from "./contacts-repo";
import type { Db } from "./db";
import type { DecisionsRepo } from "./decisions-repo";
import type { FiltersRepo } from "./filters-repo";
import type { FirmsRepo, StaffMember } from "./firms-repo";
import type { IdempotencyRepo } from "./idempotency-repo";
import type { LeasesRepo } from "./leases-repo";
import type { Validators } from "./validators";

export interface ServerContext {
  db: Db;
  contacts: ContactsRepo;
  filters: FiltersRepo;
  firms: FirmsRepo;
  idempotency: IdempotencyRepo;
  leases: LeasesRepo;
  decisions: DecisionsRepo;
  /** Folder decisions kept per principal and folder (PATCH answers 422 beyond). */
  maxDecisionsPerFolder: number;
  validators: Validators;
  auth: Authenticator;
  now: () => number;
  tombstoneRetentionMs: number;
}

/** The authenticated caller, set by the auth hook. */
export interface Principal {
  staff: StaffMember;
  firmId: string;
  scopes: string[];
}

declare module "fastify" {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** Routes reachable without a token (the contract, dev tokens). */
    public?: boolean;
  }
}
