// Status: "Sync now", progress with counts, the last run, recent history, per-contact errors with
// "Retry" (R19) and excluded contacts with "Include again" (R10).
import {
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { ContactError, RunRecord } from "../../../sync/ports";
import type { SyncController } from "../../hooks/useSyncController";
import type { PaneSession } from "../../services";
import { useTerms } from "../../terminology-context";
import { lower } from "../../terminology";
import { countsText, linkName, progressText, progressValue, runStatusText, timeText } from "./status-text";
import { useSessionLists } from "./useSessionLists";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
  list: { margin: 0, paddingLeft: 0, listStyleType: "none", display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  item: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "baseline", flexWrap: "wrap", overflowWrap: "anywhere" },
  muted: { color: tokens.colorNeutralForeground3 },
  details: { width: "100%", fontSize: tokens.fontSizeBase200 },
});

export interface StatusViewProps {
  controller: Pick<SyncController, "busy" | "progress" | "pending" | "lastResult" | "lastCheckedAt" | "error" | "runCount" | "planErrors" | "syncNow" | "cancel" | "clearError">;
  session: PaneSession | null;
  folderPath: string | null;
  autoSync: { enabled: boolean; error: string | null };
  onOpenSetup(): void;
  onOpenPending(): void;
}

export function StatusView({ controller: c, session, folderPath, autoSync, onOpenSetup, onOpenPending }: StatusViewProps) {
  const s = useStyles();
  const terms = useTerms();
  const lists = useSessionLists(session, c.runCount);
  const last: RunRecord | null = lists.runs[0] ?? c.lastResult?.run ?? null;
  const failed: ContactError[] = uniqueErrors([
    ...(c.lastResult?.failed.length ? c.lastResult.failed : (last?.errors ?? [])),
    ...c.planErrors,
  ]);
  const retry = () => void c.syncNow();

  if (!session) {
    return (
      <section className={s.root} aria-labelledby="status-title">
        <Text as="h2" size={500} weight="semibold" id="status-title">
          Status
        </Text>
        <Text>Choose an Outlook folder to synchronize with before the first sync.</Text>
        <div>
          <Button appearance="primary" onClick={onOpenSetup} data-testid="open-setup">
            Open Setup
          </Button>
        </div>
      </section>
    );
  }

  return (
    <section className={s.root} aria-labelledby="status-title" data-testid="status-view">
      <Text as="h2" size={500} weight="semibold" id="status-title">
        Status
      </Text>
      {folderPath && <Text className={s.muted}>Outlook folder: {folderPath}</Text>}
      <div className={s.row}>
        <Button appearance="primary" onClick={retry} disabled={!!c.busy} data-testid="sync-now">
          Sync now
        </Button>
        {c.busy && (
          <Button onClick={c.cancel} data-testid="cancel-sync">
            Cancel
          </Button>
        )}
        {c.pending && (
          <Button onClick={onOpenPending} data-testid="open-pending">
            Review {c.pending.changes.length} pending changes
          </Button>
        )}
      </div>
      {c.busy && (
        <Field label="Progress" validationMessage={progressText(c.progress, c.busy)} validationState="none">
          <ProgressBar value={progressValue(c.progress)} max={1} data-testid="sync-progress" />
        </Field>
      )}
      {c.error && (
        <MessageBar intent="error" data-testid="sync-error">
          <MessageBarBody>The sync stopped: {c.error} Nothing was lost; try again when the problem is fixed.</MessageBarBody>
        </MessageBar>
      )}
      {autoSync.enabled && autoSync.error && (
        <MessageBar intent="warning">
          <MessageBarBody>Automatic sync is retrying after an error: {autoSync.error}</MessageBarBody>
        </MessageBar>
      )}
      {lists.loadError && (
        <MessageBar intent="warning">
          <MessageBarBody>{lists.loadError}</MessageBarBody>
        </MessageBar>
      )}

      <Text as="h3" weight="semibold">
        Last sync
      </Text>
      {last ? (
        <Text data-testid="last-run">
          {timeText(last.finishedAt ?? last.startedAt)}: {runStatusText(last.status)}. {countsText(last.counts)}.
          {last.message ? ` ${last.message}` : ""}
        </Text>
      ) : (
        <Text className={s.muted}>Not synchronized yet.</Text>
      )}
      {c.lastCheckedAt && <Text className={s.muted}>Last checked {timeText(c.lastCheckedAt)}.</Text>}

      {failed.length > 0 && (
        <>
          <Text as="h3" weight="semibold">
            {`${terms.contacts} that failed`}
          </Text>
          <ul className={s.list} aria-label="Failed contacts" data-testid="failed-list">
            {failed.map((e, i) => (
              <li key={`${e.practiceId ?? e.outlookId ?? ""}:${i}`} className={s.item}>
                <Text weight="semibold">{e.name || e.practiceId || e.outlookId}</Text>
                <Text>{e.message}</Text>
                <Button size="small" onClick={retry} disabled={!!c.busy} aria-label={`Retry ${e.name || "contact"}`}>
                  Retry
                </Button>
              </li>
            ))}
          </ul>
        </>
      )}

      <Text as="h3" weight="semibold">
        {`Excluded ${lower(terms.contacts)}`}
      </Text>
      {lists.excluded.length === 0 ? (
        <Text className={s.muted}>None. A {lower(terms.contact)} deleted in Outlook is listed here and kept in the practice system.</Text>
      ) : (
        <ul className={s.list} aria-label="Excluded contacts" data-testid="excluded-list">
          {lists.excluded.map((l) => (
            <li key={l.practiceId} className={s.item}>
              <Text>{linkName(l)}</Text>
              <Button size="small" onClick={() => void lists.includeAgain(l.practiceId)} aria-label={`Include ${linkName(l)} again`}>
                Include again
              </Button>
            </li>
          ))}
        </ul>
      )}

      <Text as="h3" weight="semibold">
        History
      </Text>
      {lists.runs.length === 0 ? (
        <Text className={s.muted}>No runs yet.</Text>
      ) : (
        <ul className={s.list} aria-label="Sync history" data-testid="history-list">
          {lists.runs.map((r) => (
            <li key={r.id} className={s.item}>
              <Text>{timeText(r.startedAt)}</Text>
              <Text weight="semibold">{runStatusText(r.status)}</Text>
              <Text className={s.muted}>
                {countsText(r.counts)}
                {r.errors.length ? `; ${r.errors.length} error${r.errors.length === 1 ? "" : "s"}` : ""}
              </Text>
              {r.errors.length > 0 && (
                <details className={s.details}>
                  <summary>Show errors</summary>
                  <ul className={s.list}>
                    {r.errors.map((e, i) => (
                      <li key={i}>
                        {e.name || e.practiceId || e.outlookId}: {e.message}
                      </li>
                    ))}
                  </ul>
                </details>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The same contact's error can come from the last run and from the last plan; list it once. */
function uniqueErrors(errors: ContactError[]): ContactError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.practiceId ?? ""}|${e.outlookId ?? ""}|${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
