// Paging the contact listing straight from the repository: keyset pages, the last page's end, and rows
// written before the stored API JSON existed.
import { ContactsRepo } from "../../../src/practice-api/server/contacts-repo";
import { openDatabase, type Db } from "../../../src/practice-api/server/db";
import { FirmsRepo } from "../../../src/practice-api/server/firms-repo";
import { demoContacts } from "../../../src/practice-api/server/seed-demo";

const FIRM = "firm-repo";
let db: Db;
let repo: ContactsRepo;

beforeEach(() => {
  db = openDatabase(":memory:");
  new FirmsRepo(db).createFirm(FIRM, "Repo firm");
  repo = new ContactsRepo(db, () => Date.parse("2026-12-03T00:00:00Z"));
});
afterEach(() => db.close());

function seed(n: number): string[] {
  const made = demoContacts(["s1"], { clients: n - Math.floor(n / 3), standalone: Math.floor(n / 3) }, 11).map((c) => repo.create(FIRM, c));
  return made.map((c) => c.id).sort();
}

function listAll(limit: number): { ids: string[]; pages: number; docs: string[] } {
  const docs: string[] = [];
  let after = "";
  let pages = 0;
  for (;;) {
    const page = repo.page(FIRM, null, after, limit);
    pages++;
    docs.push(...page.docs);
    if (page.lastId === null) break;
    after = page.lastId;
  }
  return { ids: docs.map((d) => (JSON.parse(d) as { id: string }).id), pages, docs };
}

test.each([
  [10, 3, 4],
  [9, 3, 3],
  [9, 10, 1],
  [0, 5, 1],
])("%i contacts in pages of %i: every contact once, in id order, in %i pages", (n, limit, pages) => {
  const ids = seed(n);
  const listed = listAll(limit);
  expect(listed.ids).toEqual(ids);
  expect(listed.pages).toBe(pages);
});

test("a page ends where the next begins and says there is none after the last contact", () => {
  const ids = seed(6);
  const first = repo.page(FIRM, null, "", 3);
  expect(first.lastId).toBe(ids[2]);
  const second = repo.page(FIRM, null, first.lastId!, 3);
  expect(second.docs.map((d) => (JSON.parse(d) as { id: string }).id)).toEqual(ids.slice(3));
  expect(second.lastId).toBeNull();
});

test("deleted contacts are not listed", () => {
  const ids = seed(5);
  db.prepare("UPDATE contacts SET deleted_at = '2026-12-03T00:00:00Z' WHERE id = ?").run(ids[1]);
  expect(listAll(2).ids).toEqual(ids.filter((id) => id !== ids[1]));
});

test("a row written before the stored JSON existed is listed as the same JSON, built from its columns", async () => {
  const ids = seed(4);
  const before = listAll(10).docs;
  db.prepare("UPDATE contacts SET doc = NULL WHERE id = ?").run(ids[2]);
  const after = listAll(10).docs;
  expect(after).toHaveLength(4);
  expect(JSON.parse(after[2])).toEqual(JSON.parse(before[2]));
  expect(after.filter((_, i) => i !== 2)).toEqual(before.filter((_, i) => i !== 2));
  const bytes = await repo.pageBytesForRequest(FIRM, null, "", 10);
  expect(JSON.parse(bytes.docs[2].toString("utf8"))).toEqual(JSON.parse(before[2]));
});

test("the listing's bytes are the stored JSON as UTF-8, non-ASCII included, paged like the strings", async () => {
  seed(7);
  expect(listAll(100).docs.some((d) => [...d].some((ch) => ch.charCodeAt(0) > 127))).toBe(true);
  for (const limit of [3, 7, 100]) {
    let after = "";
    const fromBytes: string[] = [];
    for (;;) {
      const page = await repo.pageBytesForRequest(FIRM, null, after, limit);
      fromBytes.push(...page.docs.map((b) => b.toString("utf8")));
      if (page.lastId === null) break;
      after = page.lastId;
    }
    expect(fromBytes).toEqual(listAll(limit).docs);
  }
});
