// Usage text: short, with the options each command takes. docs/cli.md has the long form.
const CONNECTION = `Connection:
  --practice-url URL     the practice API's base, e.g. http://127.0.0.1:4100
  --graph-url URL        Graph's root with its version, e.g. https://graph.microsoft.com/v1.0
  --mailbox me|UPN       whose folder (default me; application permissions need a UPN)
  --ca FILE              trust this CA (the mailbox emulator's); NODE_EXTRA_CA_CERTS works too
  --dev-auth             tokens from the local servers' dev routes, with --staff ID and --upn UPN
                         (otherwise: Entra ID client credentials from PCS_* environment variables)`;

const TOPICS: Record<string, string> = {
  sync: `contact-sync sync --practice-url URL --graph-url URL --mailbox me|UPN --folder NAME|ID [--create-folder]
                  --filter NAME|ID|none --import-as clients|standalone --state DIR
                  [--dry-run | --yes] [--force] [--whole-record] [--delete-standalone]
                  [--lease-seconds N] [--max-wait DURATION] [--json] [--quiet]

Plans a two-way sync, shows the pending changes, asks, then applies every change except conflicts.
  --dry-run              only plan and list the changes; write nothing
  --yes                  apply without asking (schedules); without a terminal --yes is required
  --force                go past the safety valve (R15: mass removals or an empty store)
  --whole-record         the most recently changed record wins every field (R5 option)
  --delete-standalone    a standalone contact deleted in Outlook is deleted in the practice system (R10)
  --lease-seconds N      lease on the folder while applying (R18), 30-3600, default 120
  --max-wait DURATION    longest wait for Outlook's request limit (10,000 per 10 minutes) before
                         contacts fail as throttled, e.g. 90s, 15m, 1h; default 15m. Shorter waits
                         are sat out by themselves, as often as a large sync needs
  --json                 print one JSON object (plan, result, requests) on stdout
  --quiet                no progress or listing, only errors
Exit codes: 0 done, 2 bad input/configuration or folder leased by someone else, 3 safety stop,
4 some contacts failed, 1 unexpected.

${CONNECTION}`,
  status: `contact-sync status --state DIR [--limit N] [--json]

Shows what the state directory knows: links, deferred changes, interrupted writes and recent runs.`,
  folders: `contact-sync folders --graph-url URL --mailbox me|UPN [--create NAME [--parent ID]] [--json]

Lists the mailbox's contacts folders with their ids, or creates one.

${CONNECTION}`,
  filters: `contact-sync filters --practice-url URL [--json]

Lists the firm's contact filters with their ids and criteria.

${CONNECTION}`,
};

export function helpText(topic?: string): string {
  if (topic && TOPICS[topic]) return TOPICS[topic];
  return `contact-sync: two-way sync of practice contacts with an Outlook contacts folder.

Commands:
  sync      plan and apply a sync (contact-sync help sync)
  status    what a state directory knows
  folders   list or create contacts folders
  filters   list the firm's contact filters

See docs/cli.md for a Microsoft 365 setup and a local demo.`;
}
