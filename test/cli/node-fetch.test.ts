// The CLI's fetch over node:http(s): what the practice client (Request objects) and the Graph SDK
// (URL + init) send arrives as sent, answers come back as Responses, failures and aborts reject.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { createNodeFetch } from "../../src/cli/sync/node-fetch";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

describe("createNodeFetch", () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  const sockets = new Set<unknown>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => (body += d.toString()));
      req.on("end", () => {
        seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
        if (req.url === "/empty") return void res.writeHead(204).end();
        if (req.url === "/gzip") {
          res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
          return void res.end(gzipSync(JSON.stringify({ zipped: true })));
        }
        if (req.url === "/slow") {
          const late = setTimeout(() => res.end("late"), 2000);
          return void res.on("close", () => clearTimeout(late)); // the client gave up: no timer left behind
        }
        if (req.url === "/cut") return void req.socket.destroy();
        if (req.url === "/half") {
          res.writeHead(200, { "content-length": "100" });
          res.write("part");
          return void setTimeout(() => req.socket.destroy(), 20);
        }
        res.writeHead(201, { "content-type": "application/json", "x-many": ["a", "b"] });
        res.end(JSON.stringify({ echo: body }));
      });
    });
    server.on("connection", (s) => sockets.add(s));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    seen.length = 0;
    sockets.clear();
  });

  it("sends a URL's method, headers and body, and answers with status, headers and body", async () => {
    const { fetch, close } = createNodeFetch();
    try {
      const res = await fetch(`${base}/x?q=1`, { method: "POST", headers: { "Content-Type": "application/json", Authorization: "Bearer t" }, body: '{"a":1}' });
      expect(res.status).toBe(201);
      expect(res.headers.get("x-many")).toBe("a, b");
      expect(await res.json()).toEqual({ echo: '{"a":1}' });
      expect(seen[0]).toMatchObject({ method: "POST", url: "/x?q=1", body: '{"a":1}' });
      expect(seen[0].headers).toMatchObject({ "content-type": "application/json", authorization: "Bearer t", "content-length": "7" });
    } finally {
      close();
    }
  });

  it("sends a Request's parts (the practice client's form), and keeps one connection for several requests", async () => {
    const { fetch, close } = createNodeFetch();
    try {
      const req = new Request(`${base}/r`, { method: "PATCH", headers: { "If-Match": '"v1"' }, body: "patch" });
      expect((await fetch(req)).status).toBe(201);
      expect((await fetch(`${base}/again`)).status).toBe(201);
      expect(seen.map((s) => [s.method, s.url, s.body, s.headers["if-match"]])).toEqual([
        ["PATCH", "/r", "patch", '"v1"'],
        ["GET", "/again", "", undefined],
      ]);
      expect(sockets.size).toBe(1);
    } finally {
      close();
    }
  });

  it("gives a 204 no body and decodes a gzip body a server sent anyway", async () => {
    const { fetch, close } = createNodeFetch();
    try {
      const empty = await fetch(`${base}/empty`, { method: "DELETE" });
      expect(empty.status).toBe(204);
      expect(empty.body).toBeNull();
      expect(await (await fetch(`${base}/gzip`)).json()).toEqual({ zipped: true });
    } finally {
      close();
    }
  });

  it("rejects with the signal's reason when aborted, and as a fetch failure when the connection drops", async () => {
    const { fetch, close } = createNodeFetch();
    try {
      const timeout = AbortSignal.timeout(50);
      const err = await fetch(`${base}/slow`, { signal: timeout }).catch((e: unknown) => e);
      expect(err).toBe(timeout.reason);
      const already = AbortSignal.abort(new Error("cancelled by the user"));
      await expect(fetch(`${base}/x`, { signal: already })).rejects.toThrow("cancelled by the user");
      const cut = await fetch(`${base}/cut`).catch((e: unknown) => e);
      expect(cut).toBeInstanceOf(TypeError);
      expect((cut as Error).message).toBe("fetch failed");
      expect((cut as Error).cause).toBeDefined();
      const half = await fetch(`${base}/half`).catch((e: unknown) => e);
      expect(half).toBeInstanceOf(TypeError);
    } finally {
      close();
    }
  });

  it("fails a request whose server stays silent past the idle timeout, as a network failure", async () => {
    const { fetch, close } = createNodeFetch({ idleTimeoutMs: 100 });
    try {
      const err = await fetch(`${base}/slow`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TypeError);
      expect(String((err as Error).cause)).toMatch(/no answer/);
      expect((await fetch(`${base}/x`)).status).toBe(201); // the next request is not held up
    } finally {
      close();
    }
  });

  it("refuses a scheme it does not speak", async () => {
    const { fetch, close } = createNodeFetch();
    try {
      await expect(fetch("ftp://127.0.0.1/x")).rejects.toThrow("fetch failed");
    } finally {
      close();
    }
  });
});
