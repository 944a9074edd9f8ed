import { parseCommandLine, type SyncCommand } from "../../src/cli/sync/args";
import { CliError, EXIT } from "../../src/cli/sync/exit-codes";

const base = [
  "sync",
  "--practice-url", "http://127.0.0.1:4100/",
  "--graph-url", "https://127.0.0.1:4200/v1.0",
  "--folder", "Practice contacts",
  "--filter", "none",
  "--import-as", "clients",
  "--state", "./state",
];

function usage(argv: string[]): string {
  try {
    parseCommandLine(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(EXIT.usage);
    return (err as CliError).message;
  }
  throw new Error("expected a usage error");
}

describe("parseCommandLine", () => {
  test("a full sync command line becomes a typed command with safe defaults", () => {
    const cmd = parseCommandLine(base) as SyncCommand;
    expect(cmd).toMatchObject({
      command: "sync",
      connection: { practiceUrl: "http://127.0.0.1:4100", graphUrl: "https://127.0.0.1:4200/v1.0", mailbox: "me", devAuth: false },
      folder: "Practice contacts",
      filter: null,
      importAs: "client",
      mode: "ask",
      force: false,
      wholeRecord: false,
      json: false,
      quiet: false,
    });
  });

  test("options set the mode, the identity and the R5/R10 options", () => {
    const cmd = parseCommandLine([
      ...base.slice(0, -6),
      "--filter", "Smith's clients",
      "--import-as", "standalone",
      "--state", "s",
      "--yes", "--force", "--whole-record", "--delete-standalone", "--json", "--quiet",
      "--dev-auth", "--staff", "S1", "--upn", "ann@contoso.test", "--mailbox", "office@contoso.test",
    ]) as SyncCommand;
    expect(cmd).toMatchObject({
      filter: "Smith's clients",
      importAs: "standalone",
      mode: "yes",
      force: true,
      wholeRecord: true,
      deleteStandalone: true,
      json: true,
      quiet: true,
      connection: { devAuth: true, staffId: "S1", upn: "ann@contoso.test", mailbox: "office@contoso.test" },
    });
    expect((parseCommandLine([...base, "--dry-run"]) as SyncCommand).mode).toBe("dry-run");
  });

  test("missing or bad values are usage errors that name the option", () => {
    expect(usage(base.filter((_, i) => i !== 7 && i !== 8))).toMatch(/--filter/);
    expect(usage([...base.slice(0, 9), "--import-as", "people", "--state", "s"])).toMatch(/clients.*standalone/);
    expect(usage(["sync", ...base.slice(1).map((a) => (a === "http://127.0.0.1:4100/" ? "127.0.0.1:4100" : a))])).toMatch(
      /--practice-url must be an absolute URL/,
    );
    expect(usage([...base, "--dry-run", "--yes"])).toMatch(/contradict/);
    expect(usage([...base, "--mailbox", "not a mailbox"])).toMatch(/--mailbox/);
    expect(usage([...base, "--staff", "S1"])).toMatch(/--dev-auth/);
    expect(usage([...base, "--bogus"])).toMatch(/bogus/);
    expect(usage([...base, "--create", "x"])).toMatch(/does not take --create/);
    expect(usage([...base, "--lease-seconds", "5"])).toMatch(/--lease-seconds/);
    expect(usage(["frobnicate"])).toMatch(/Unknown command/);
    expect(usage(["folders", "--graph-url", "https://user:pw@graph.test/v1.0"])).toMatch(/credentials/);
  });

  test("status, folders and filters take their own options", () => {
    expect(parseCommandLine(["status", "--state", "s", "--json"])).toEqual({
      command: "status",
      stateDir: "s",
      limit: 10,
      json: true,
      quiet: false,
    });
    expect(parseCommandLine(["folders", "--graph-url", "https://g.test/v1.0", "--mailbox", "a@b.test", "--create", "X"])).toMatchObject({
      command: "folders",
      create: "X",
      connection: { mailbox: "a@b.test" },
    });
    expect(parseCommandLine(["filters", "--practice-url", "https://p.test"])).toMatchObject({ command: "filters" });
    expect(usage(["status"])).toMatch(/--state/);
  });

  test("production credentials go only over https, except to a loopback host; --dev-auth may use http", () => {
    expect(usage(["filters", "--practice-url", "http://p.test"])).toMatch(/--practice-url must be https:\/\//);
    expect(usage(["folders", "--graph-url", "http://g.test/v1.0", "--mailbox", "a@b.test"])).toMatch(/--graph-url must be https:\/\//);
    expect(parseCommandLine(["filters", "--practice-url", "http://localhost:4100"])).toMatchObject({ command: "filters" });
    expect(parseCommandLine(["filters", "--practice-url", "http://p.test", "--dev-auth"])).toMatchObject({ command: "filters" });
  });

  test("help is available with no arguments and per command", () => {
    expect(parseCommandLine([])).toEqual({ command: "help", topic: undefined });
    expect(parseCommandLine(["sync", "--help"])).toEqual({ command: "help", topic: "sync" });
  });
});
