import { setup, person, outlookFor } from "./harness";

test("smoke: initial sync both ways then a no-op", async () => {
  const env = setup();
  const a = env.practice.add(person("Ada", "Lovelace", { emailAddresses: [{ address: "ada@x.test" }] }));
  const o = env.outlook.add(person("Bob", "Builder"));
  const first = await env.sync();
  expect(first.result.failed).toEqual([]);
  expect(first.plan.changes.map((c) => c.rule).sort()).toEqual(["R6", "R7"]);
  expect(outlookFor(env, a.id)?.fields.givenName).toBe("Ada");
  expect(env.practice.all()).toHaveLength(2);
  expect(env.outlook.get(o.id)?.stamp).toMatch(/^firm-1:p/);
  const second = await env.plan();
  expect(second.changes).toEqual([]);
});
