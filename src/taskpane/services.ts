// What the views need from the outside world, and nothing more. The composition root
// (composition.ts) builds the real implementation; tests inject fakes through ServicesProvider.
// The session is described structurally so the views depend on the engine's contract, not its class.
import type { ContactFilter, FilterDefinition, FilterError, FilterFieldType } from "../sync/filters";
import type { Link, PracticeContact } from "../sync/model";
import type { ApplyRequest, SyncPlan, SyncProgress, SyncResult } from "../sync/plan-types";
import type { RunRecord } from "../sync/ports";
import type { PaneSettings } from "./settings";
import type { Terminology } from "./terminology";

export interface PaneIdentity {
  staffId: string;
  name: string;
  email?: string;
  firmName?: string;
}

export interface StaffMember {
  id: string;
  name: string;
}

/** A field a filter criterion can use (the API's filter-fields resource, without the reader). */
export interface FilterFieldInfo {
  name: string;
  label: string;
  type: FilterFieldType;
  options?: string[];
}

/** A contacts folder and its subfolders. */
export interface OutlookFolder {
  id: string;
  displayName: string;
  children: OutlookFolder[];
}

/**
 * An error the practice API explained (application/problem+json). Adapters map their own errors
 * to this so views can show the API's words next to the right control.
 */
export class ProblemError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail?: string;
  readonly errors: FilterError[];
  constructor(status: number, title: string, detail?: string, errors: FilterError[] = []) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = "ProblemError";
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.errors = errors;
  }
}

export interface PracticeServices {
  me(): Promise<PaneIdentity>;
  terminology(): Promise<Partial<Terminology>>;
  staff(): Promise<StaffMember[]>;
  filterFields(): Promise<FilterFieldInfo[]>;
  listFilters(): Promise<ContactFilter[]>;
  createFilter(def: FilterDefinition): Promise<ContactFilter>;
  updateFilter(id: string, def: FilterDefinition): Promise<ContactFilter>;
  deleteFilter(id: string): Promise<void>;
  /**
   * Every practice contact the user can see (all filters' universe), for the filter editor's
   * "N contacts match" and "what will change in your folder" (computed in the pane).
   */
  listContacts(opts?: { signal?: AbortSignal }): Promise<PracticeContact[]>;
}

export interface FolderServices {
  /** Contacts folders of a mailbox (null: the user's own) as a tree. */
  listFolders(mailbox: string | null): Promise<OutlookFolder[]>;
  /** Creates a contacts folder under parentId (null: top level). */
  createFolder(mailbox: string | null, parentId: string | null, name: string): Promise<OutlookFolder>;
}

/** The engine's SyncSession as the pane uses it (src/sync/session.ts). */
export interface PaneSession {
  onProgress(listener: (p: SyncProgress) => void): () => void;
  plan(opts?: { signal?: AbortSignal }): Promise<SyncPlan>;
  apply(plan: SyncPlan, req: ApplyRequest): Promise<SyncResult>;
  includeAgain(practiceId: string): Promise<void>;
  excluded(): Promise<Link[]>;
  history(limit?: number): Promise<RunRecord[]>;
}

export interface SettingsServices {
  load(): PaneSettings | null;
  save(settings: PaneSettings): Promise<void>;
}

export interface AuthServices {
  /** Interactive sign-in (popup or Office dialog); resolves when an account is available. */
  signIn(): Promise<void>;
  accountName(): string | null;
}

export type ThemeName = "light" | "dark";

export interface HostServices {
  inOffice: boolean;
  theme(): ThemeName;
  onThemeChange(cb: (theme: ThemeName) => void): () => void;
  userEmail: string | null;
  /** Office's display language inside Office (Office.context.displayLanguage); absent outside. */
  displayLanguage?: string | null;
}

export interface PaneServices {
  practice: PracticeServices;
  folders: FolderServices;
  /** A sync session for these settings; the settings must name a folder. */
  createSession(settings: PaneSettings): PaneSession;
  settings: SettingsServices;
  auth: AuthServices;
  host: HostServices;
}
