// Runs the real `practice-server` command in a temporary folder, and reads what it wrote from SQLite.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { toApiContact, type ApiContact } from "../../../src/practice-api/contact-mapping";
import { ContactsRepo } from "../../../src/practice-api/server/contacts-repo";
import { openDatabase } from "../../../src/practice-api/server/db";
import { FirmsRepo } from "../../../src/practice-api/server/firms-repo";

const BIN = path.resolve(__dirname, "../../../bin/practice-server.js");

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export class Workspace {
  readonly dir = mkdtempSync(path.join(tmpdir(), "practice-admin-"));
  readonly db = path.join(this.dir, "practice.db");

  run(...args: string[]): Run {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: this.dir, encoding: "utf8", timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** Runs and requires success, returning standard output. */
  ok(...args: string[]): string {
    const r = this.run(...args);
    if (r.code !== 0) throw new Error(`practice-server ${args.join(" ")} exited ${r.code}\n${r.stderr}`);
    return r.stdout;
  }

  file(name: string, content: string | Uint8Array): string {
    const p = path.join(this.dir, name);
    writeFileSync(p, content);
    return p;
  }

  /** A firm with its admin and two staff members, as the admin guide sets one up. */
  initFirm(): void {
    this.ok("init", "--db", this.db, "--firm", "Harbour & Co", "--admin", "anna.lindqvist@harbour.example");
    this.ok("staff", "add", "--db", this.db, "--email", "joerg.mueller@harbour.example", "--name", "Jörg Müller");
    this.ok("staff", "add", "--db", this.db, "--email", "zoe.dubois@harbour.example", "--name", "Zoë Dubois", "--initials", "ZD");
  }

  /** Every live contact of the only firm, as the API shows them, by display name. */
  contacts(): Map<string, ApiContact> {
    const db = openDatabase(this.db);
    try {
      const firmId = new FirmsRepo(db).firmIds()[0];
      const repo = new ContactsRepo(db, Date.now);
      const out = new Map<string, ApiContact>();
      const { docs } = repo.page(firmId, null, "", 10_000);
      for (const d of docs) {
        const c = JSON.parse(d) as ApiContact;
        out.set(c.displayName ?? c.id, c);
      }
      return out;
    } finally {
      db.close();
    }
  }

  staffIds(): Map<string, string> {
    const db = openDatabase(this.db);
    try {
      const firms = new FirmsRepo(db);
      return new Map(firms.staff(firms.firmIds()[0]).map((s) => [s.email, s.id]));
    } finally {
      db.close();
    }
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A contact without what changes from database to database. */
export function portable(c: ApiContact): Record<string, unknown> {
  const { id: _id, version: _v, updatedAt: _u, ...rest } = c as unknown as Record<string, unknown>;
  return rest;
}

export { toApiContact };
