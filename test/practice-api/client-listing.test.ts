// The listing asks for the next page as soon as a page's headers name it (Link rel="next"), so the
// server prepares it while the client reads the current one; the body must agree with the header, and
// a page asked for ahead is cancelled whenever the listing stops early. Against a fake server whose
// timing the tests control.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createPracticeClient, nextCursorOfLink } from "../../src/practice-api/client";
import { MalformedResponseError } from "../../src/sync/ports";

type Handler = (req: IncomingMessage, res: ServerResponse, cursor: string | null) => void;

let server: Server;
let url: string;
let handler: Handler;
let events: string[];

beforeAll(async () => {
  server = createServer((req, res) => {
    const cursor = new URL(req.url!, "http://x").searchParams.get("cursor");
    events.push(`request ${cursor ?? "first"}`);
    res.on("close", () => events.push(`${res.writableFinished ? "answered" : "cancelled"} ${cursor ?? "first"}`));
    handler(req, res, cursor);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));
beforeEach(() => {
  events = [];
});

const client = () => createPracticeClient({ baseUrl: url, getToken: async () => "t", sleep: async () => undefined, maxRetries: 0 });
const contact = (id: string) => ({ id, kind: "standalone", updatedAt: "2026-11-25T07:00:00.000Z", version: "3", displayName: id });
/** Pages "first" → "p2" → "p3", two contacts each; `link` says whether the headers name the next page. */
const PAGES: Record<string, { items: string[]; next: string | null }> = {
  first: { items: ["a1", "a2"], next: "p2" },
  p2: { items: ["b1", "b2"], next: "p3" },
  p3: { items: ["c1", "c2"], next: null },
};
const body = (key: string, next = PAGES[key].next) =>
  JSON.stringify({ items: PAGES[key].items.map(contact), nextCursor: next, ...(key === "first" ? { changeCursor: "feed-0" } : {}) });
const linkTo = (cursor: string) => `</api/v1/contacts?cursor=${encodeURIComponent(cursor)}&limit=1000>; rel="next"`;
const head = (res: ServerResponse, key: string, link: boolean) =>
  res.writeHead(200, { "content-type": "application/json", ...(link && PAGES[key].next ? { link: linkTo(PAGES[key].next!) } : {}) });
const until = async (what: () => boolean, ms: number) => {
  for (const end = Date.now() + ms; !what() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 5));
};

test("the next page is asked for before the current page's body has arrived", async () => {
  handler = (_req, res, cursor) => {
    const key = cursor ?? "first";
    head(res, key, true);
    const text = body(key);
    res.write(text.slice(0, 10));
    // The rest of this page follows only once the next page was asked for (or after 2 s, so a client
    // that waits for the whole body still finishes, and the order below shows it).
    const next = PAGES[key].next;
    void until(() => next === null || events.includes(`request ${next}`), 2000).then(() => res.end(text.slice(10)));
  };
  const snap = await client().listContacts(null);
  expect(snap.contacts.map((c) => c.id)).toEqual(["a1", "a2", "b1", "b2", "c1", "c2"]);
  expect(snap.cursor).toBe("feed-0");
  expect(events.indexOf("request p2")).toBeLessThan(events.indexOf("answered first"));
  expect(events.indexOf("request p3")).toBeLessThan(events.indexOf("answered p2"));
});

test("without a Link header the pages are read one after the other, from the body's nextCursor", async () => {
  handler = (_req, res, cursor) => {
    head(res, cursor ?? "first", false);
    res.end(body(cursor ?? "first"));
  };
  const snap = await client().listContacts(null);
  expect(snap.contacts.map((c) => c.id)).toEqual(["a1", "a2", "b1", "b2", "c1", "c2"]);
  await until(() => events.length === 6, 1000);
  expect(events).toEqual(["request first", "answered first", "request p2", "answered p2", "request p3", "answered p3"]);
});

test("a Link header naming another page than the body's nextCursor is malformed, and that page is cancelled", async () => {
  handler = (_req, res, cursor) => {
    if (cursor === null) {
      head(res, "first", true); // names p2
      res.end(body("first", "p3"));
    } else {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("{"); // held open: only the client's cancel ends it
    }
  };
  await expect(client().listContacts(null)).rejects.toBeInstanceOf(MalformedResponseError);
  await until(() => events.includes("cancelled p2"), 2000);
  expect(events).toContain("cancelled p2");
  expect(events).not.toContain("request p3");
});

test("a malformed page stops the listing and cancels the page asked for ahead", async () => {
  handler = (_req, res, cursor) => {
    if (cursor === null) {
      head(res, "first", true);
      res.end(JSON.stringify({ items: [{ id: 5 }], nextCursor: "p2", changeCursor: "feed-0" }));
    } else {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("{");
    }
  };
  await expect(client().listContacts(null)).rejects.toBeInstanceOf(MalformedResponseError);
  await until(() => events.includes("cancelled p2"), 2000);
  expect(events).toContain("cancelled p2");
});

test("cancelling the call cancels the page in flight", async () => {
  handler = (_req, res, cursor) => {
    if (cursor === null) {
      head(res, "first", true);
      res.end(body("first"));
    } else {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("{");
    }
  };
  const controller = new AbortController();
  const listing = client().listContacts(null, { signal: controller.signal, onProgress: () => controller.abort(new Error("stop")) });
  await expect(listing).rejects.toThrow();
  await until(() => events.includes("cancelled p2"), 2000);
  expect(events).toContain("cancelled p2");
});

describe("nextCursorOfLink", () => {
  test.each([
    ['</api/v1/contacts?cursor=abc&limit=1000>; rel="next"', "abc"],
    ["</api/v1/contacts?filterId=f%2C1&cursor=a%2Bb%3D>; rel=next", "a+b="],
    ['<https://h.example/api/v1/contacts?cursor=x>; rel="prev", </api/v1/contacts?cursor=y>; rel="next"', "y"],
    ['</c?cursor=z>; title="t"; REL="prev next"', "z"],
  ])("%s → %s", (header, cursor) => expect(nextCursorOfLink(header)).toBe(cursor));

  test.each([null, "", '</c?cursor=x>; rel="prev"', '</c?limit=5>; rel="next"', "garbage", '<>; rel="nextpage"'])("%p names no next page", (header) =>
    expect(nextCursorOfLink(header)).toBeUndefined(),
  );
});
