// connect(): the real wiring of a run. Its prepare() asks for both development tokens at once, before
// either side is read; a token it could not get is asked for again by the first real use, which reports why.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "../../src/cli/sync/connect";
import { CliError } from "../../src/cli/sync/exit-codes";

describe("connect: tokens asked for early", () => {
  let server: Server;
  let base: string;
  const seen: string[] = [];
  let refuse = false;

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      req.resume();
      req.on("end", () => {
        if (refuse) {
          res.writeHead(503).end();
          return;
        }
        res.writeHead(200, { "content-type": "application/json" });
        if (req.url?.endsWith("/dev/token")) res.end(JSON.stringify({ access_token: "tok", expires_in: 3600 }));
        else {
          const staff = { id: "S1", name: "Sam", email: "sam@firm.test", role: "admin", initials: "SA" };
          res.end(JSON.stringify({ staff, firm: { id: "F1", name: "Firm" }, scopes: [] }));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    seen.length = 0;
    refuse = false;
  });

  const open = () => connect({ practiceUrl: base, graphUrl: `${base}/v1.0`, mailbox: "office@firm.test", devAuth: true, staffId: "S1" }, {});
  const settled = async (n: number) => {
    for (let i = 0; i < 100 && seen.length < n; i++) await new Promise((r) => setTimeout(r, 10));
  };

  it("asks the practice server and the emulator for their tokens together, once each", async () => {
    const { wiring, close } = open();
    try {
      wiring.prepare!();
      await settled(2);
      expect([...seen].sort()).toEqual(["POST /api/v1/dev/token", "POST /dev/token"]);
      await wiring.practice.firmId();
      // The token asked for early is the one used: the only new request is the API call itself.
      expect(seen.filter((s) => s.endsWith("/dev/token"))).toHaveLength(2);
      expect(wiring.requests().practice).toBe(1);
    } finally {
      await close();
    }
  });

  it("asks again at the first real use when the early request failed, and reports that failure", async () => {
    const { wiring, close } = open();
    try {
      refuse = true;
      wiring.prepare!();
      await settled(2);
      const err = await wiring.practice.firmId().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CliError);
      expect((err as Error).message).toMatch(/refused a development token \(HTTP 503\)/);
      expect(seen.filter((s) => s === "POST /api/v1/dev/token")).toHaveLength(2);
    } finally {
      await close();
    }
  });
});
