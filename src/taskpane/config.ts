// Runtime configuration of the pane, read from `config.json` next to taskpane.html. An IT admin
// edits that file to point a deployed add-in at the firm's API without rebuilding it, so it is
// untrusted input: validate it and say exactly what is wrong.
import { z } from "zod";

const authSchema = z.object({
  clientId: z.string().min(1, "auth.clientId is required"),
  authority: z.string().url("auth.authority must be a URL").optional(),
  practiceScope: z.string().min(1, "auth.practiceScope is required"),
});

const configSchema = z
  .object({
    mode: z.enum(["local", "microsoft365"]),
    practiceApiUrl: z.string().min(1, "practiceApiUrl is required"),
    graphUrl: z.string().min(1, "graphUrl is required"),
    auth: authSchema.optional(),
  })
  .refine((c) => c.mode === "local" || c.auth !== undefined, {
    message: 'mode "microsoft365" needs an "auth" section (clientId, practiceScope)',
    path: ["auth"],
  });

export type PaneConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * Validates a parsed config.json and resolves its URLs against the page origin, so "/practice"
 * (local mode, proxied by the dev server) and absolute URLs both work. Trailing slashes are removed
 * so callers can append paths.
 */
export function parseConfig(input: unknown, pageUrl: string): PaneConfig {
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((i) => `${i.path.length ? i.path.join(".") + ": " : ""}${i.message}`)
      .join("; ");
    throw new ConfigError(`config.json is not valid: ${detail}`);
  }
  const c = parsed.data;
  return { ...c, practiceApiUrl: resolveUrl(c.practiceApiUrl, pageUrl, "practiceApiUrl"), graphUrl: resolveUrl(c.graphUrl, pageUrl, "graphUrl") };
}

function resolveUrl(value: string, base: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    throw new ConfigError(`config.json is not valid: ${name} "${value}" is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new ConfigError(`config.json is not valid: ${name} must be an http(s) URL`);
  return url.href.replace(/\/+$/, "");
}

/** Fetches and validates `./config.json` relative to the page. */
export async function loadConfig(pageUrl: string, fetchImpl: typeof fetch = fetch): Promise<PaneConfig> {
  const url = new URL("config.json", pageUrl).href;
  let res: Response;
  try {
    res = await fetchImpl(url, { cache: "no-store" });
  } catch (err) {
    throw new ConfigError(`config.json could not be loaded: ${(err as Error).message}`);
  }
  if (!res.ok) throw new ConfigError(`config.json could not be loaded: HTTP ${res.status}`);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new ConfigError("config.json is not valid JSON");
  }
  return parseConfig(body, pageUrl);
}
