// The servers a sync benchmark runs against, in a child process of their own (so their CPU and heap do
// not count as the client's): the child announces where they listen, the parent forks it and waits.
import { fork, type ChildProcess } from "node:child_process";

export interface Servers {
  practiceUrl: string;
  emulatorUrl: string;
  graphUrl: string;
  caPem: string;
}

interface Closable {
  url: string;
  close(): Promise<void>;
}

/** In the child: tells the parent where the servers listen, and closes them when it says "close". */
export function announceServers(
  practice: Closable,
  emulator: Closable & { graphUrl: string; caPem: string },
  onMessage?: (msg: unknown) => void,
): void {
  process.send!({ practiceUrl: practice.url, emulatorUrl: emulator.url, graphUrl: emulator.graphUrl, caPem: emulator.caPem } satisfies Servers);
  process.on("message", (msg) => {
    if (msg === "close") void Promise.all([emulator.close(), practice.close()]).then(() => process.exit(0));
    else onMessage?.(msg);
  });
}

/** In the parent: runs `file` with `args` as the server process and waits for its announcement. */
export async function forkServers(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ child: ChildProcess; servers: Servers }> {
  const child = fork(file, args, { execArgv: ["--import", "tsx"], env, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const servers = await new Promise<Servers>((resolve, reject) => {
    child.once("message", (m) => resolve(m as Servers));
    child.once("exit", (code) => reject(new Error(`server process exited ${code}`)));
  });
  return { child, servers };
}
