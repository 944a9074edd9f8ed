// GET /openapi.json: the contract, so clients and tools can read what this server promises.
import type { FastifyInstance } from "fastify";
import { loadContract } from "../contract";

export function registerMetaRoutes(app: FastifyInstance): void {
  const json = JSON.stringify(loadContract());
  app.get("/openapi.json", { config: { public: true } }, async (_req, reply) => {
    reply.type("application/json").send(json);
  });
}
