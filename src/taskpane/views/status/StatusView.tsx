// Status: the latest outcome in words with the action it needs, "Sync now", progress, per-contact
// errors with "Retry" (R19), excluded contacts with "Include again" (R10), and every recent run.
import { useState } from "react";
import {
  Button,
  Field,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { ContactError, RunRecord } from "../../../sync/ports";
import type { SyncController } from "../../hooks/useSyncController";
import type { PaneSession } from "../../services";
import { useI18n } from "../../i18n/i18n-context";
import type { Translator } from "../../i18n/translator";
import { safetyCause } from "../pending/safety-words";
import { countsText, linkName, mergeHistory, progressText, progressValue, runMessageText, runStatusText, runTime, statusHeadline } from "./status-text";
import { useSessionLists } from "./useSessionLists";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
  list: { margin: 0, paddingLeft: 0, listStyleType: "none", display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  item: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "baseline", flexWrap: "wrap", overflowWrap: "anywhere" },
  secondary: { color: tokens.colorNeutralForeground2 },
  details: { width: "100%", fontSize: tokens.fontSizeBase200 },
  h3: { marginTop: tokens.spacingVerticalS },
});

export interface StatusViewProps {
  controller: Pick<
    SyncController,
    "busy" | "progress" | "pending" | "lastResult" | "lastCheckedAt" | "error" | "failure" | "localRuns" | "runCount" | "planErrors" | "syncNow" | "cancel" | "clearError"
  >;
  session: PaneSession | null;
  folderPath: string | null;
  /** retryAt: when automatic sync tries again after a failure (epoch ms). */
  autoSync: { enabled: boolean; error: string | null; retryAt?: number | null };
  onOpenSetup(): void;
  onOpenPending(): void;
}

const INTENT = { success: "success", info: "info", warning: "warning", error: "error" } as const;

export function StatusView({ controller: c, session, folderPath, autoSync, onOpenSetup, onOpenPending }: StatusViewProps) {
  const s = useStyles();
  const i18n = useI18n();
  const { t } = i18n;
  const lists = useSessionLists(session, c.runCount);
  const [included, setIncluded] = useState<string | null>(null);
  const history = mergeHistory(lists.runs, c.localRuns ?? []);
  const latest: RunRecord | null = history[0] ?? c.lastResult?.run ?? null;
  const failed: ContactError[] = uniqueErrors([
    ...(c.lastResult?.failed.length ? c.lastResult.failed : (latest?.errors ?? [])),
    ...c.planErrors,
  ]);
  const retry = () => void c.syncNow();

  if (!session) {
    return (
      <section className={s.root} aria-labelledby="status-title">
        <Text as="h2" size={400} weight="semibold" id="status-title" tabIndex={-1}>
          {t("status.title")}
        </Text>
        <Text>{t("status.chooseFolder")}</Text>
        <div>
          <Button appearance="primary" onClick={onOpenSetup} data-testid="open-setup">
            {t("status.openSetup")}
          </Button>
        </div>
      </section>
    );
  }

  const failure = c.failure ?? (c.error ? { kind: "other" as const, message: c.error } : null);
  const head = statusHeadline(
    {
      busy: c.busy,
      pending: c.pending
        ? { count: c.pending.changes.length, safety: c.pending.safety, cause: c.pending.safety ? (safetyCause(c.pending.safety, c.pending.changes, i18n).parts[0] ?? null) : null }
        : null,
      failure,
      latest,
      retryAt: autoSync.enabled && autoSync.error ? (autoSync.retryAt ?? null) : null,
    },
    i18n,
  );
  // Automatic sync's own failure, when the pane's last run was not the failing one.
  const autoFailure = autoSync.enabled && autoSync.error && !failure ? autoSync.error : null;

  return (
    <section className={s.root} aria-labelledby="status-title" data-testid="status-view">
      <Text as="h2" size={400} weight="semibold" id="status-title" tabIndex={-1}>
        {t("status.title")}
      </Text>
      <MessageBar intent={INTENT[head.tone]} layout="multiline" data-testid="status-headline" data-tone={head.tone}>
        <MessageBarBody>
          <MessageBarTitle data-testid="status-title-text">{head.title}</MessageBarTitle>
          {head.detail && <div>{head.detail}</div>}
          {head.technical && (
            <details className={s.details} data-testid="status-details">
              <summary>{t("common.details")}</summary>
              {head.technical}
            </details>
          )}
        </MessageBarBody>
        {head.action && (
          <MessageBarActions>
            {head.action === "review" && (
              <Button onClick={onOpenPending} data-testid="open-pending">
                {c.pending?.safety ? t("status.review") : t("status.reviewCount", { count: c.pending?.changes.length ?? 0 })}
              </Button>
            )}
            {head.action === "setup" && (
              <Button onClick={onOpenSetup} data-testid="open-setup">
                {t("status.openSetup")}
              </Button>
            )}
            {head.action === "retry" && (
              <Button onClick={retry} disabled={!!c.busy} data-testid="headline-retry">
                {t("common.tryAgain")}
              </Button>
            )}
          </MessageBarActions>
        )}
      </MessageBar>
      {folderPath && <Text className={s.secondary}>{t("status.folder", { path: folderPath })}</Text>}
      <div className={s.row}>
        <Button appearance="primary" onClick={retry} disabled={!!c.busy} data-testid="sync-now">
          {t("status.syncNow")}
        </Button>
        {c.busy && (
          <Button onClick={c.cancel} data-testid="cancel-sync">
            {t("common.cancel")}
          </Button>
        )}
      </div>
      {c.busy && (
        <Field label={t("status.progress")} validationMessage={progressText(c.progress, c.busy, i18n)} validationState="none">
          <ProgressBar value={progressValue(c.progress)} max={1} data-testid="sync-progress" />
        </Field>
      )}
      {autoFailure && (
        <MessageBar intent="warning">
          <MessageBarBody>
            {t("status.autoRetrying")}
            <details className={s.details}>
              <summary>{t("common.details")}</summary>
              {autoFailure}
            </details>
          </MessageBarBody>
        </MessageBar>
      )}
      {lists.loadError && (
        <MessageBar intent="warning">
          <MessageBarBody>{lists.loadError}</MessageBarBody>
        </MessageBar>
      )}

      {failed.length > 0 && (
        <>
          <Text as="h3" weight="semibold" className={s.h3}>
            {t("status.failedHeading")}
          </Text>
          <ul className={s.list} aria-label={t("status.failedHeading")} data-testid="failed-list">
            {failed.map((e, i) => (
              <li key={`${e.practiceId ?? e.outlookId ?? ""}:${i}`} className={s.item}>
                <Text weight="semibold" id={`failed-${i}`}>
                  {e.name || t("common.noName")}
                </Text>
                <Text>{i18n.localTimes(e.message)}</Text>
                <Button size="small" onClick={retry} disabled={!!c.busy} aria-describedby={`failed-${i}`}>
                  {t("common.retry")}
                </Button>
              </li>
            ))}
          </ul>
        </>
      )}

      <Text as="h3" weight="semibold" className={s.h3}>
        {t("status.excludedHeading")}
      </Text>
      {included && (
        <Text role="status" data-testid="included-note">
          {t("status.includedNote", { name: included })}
        </Text>
      )}
      {lists.excluded.length === 0 ? (
        <Text className={s.secondary}>{t("status.noneExcluded")}</Text>
      ) : (
        <ul className={s.list} aria-label={t("status.excludedHeading")} data-testid="excluded-list">
          {lists.excluded.map((l) => (
            <li key={l.practiceId} className={s.item}>
              <Text id={`excluded-${l.practiceId}`}>{linkName(l, i18n)}</Text>
              {/* The visible label is the accessible name (WCAG 2.5.3); the contact is its description. */}
              <Button
                size="small"
                aria-describedby={`excluded-${l.practiceId}`}
                onClick={() => {
                  setIncluded(linkName(l, i18n));
                  void lists.includeAgain(l.practiceId);
                }}
              >
                {t("status.includeAgain")}
              </Button>
            </li>
          ))}
        </ul>
      )}

      <Text as="h3" weight="semibold" className={s.h3}>
        {t("status.historyHeading")}
      </Text>
      {history.length === 0 ? (
        <Text className={s.secondary}>{t("status.noRuns")}</Text>
      ) : (
        <ul className={s.list} aria-label={t("status.historyLabel")} data-testid="history-list">
          {history.map((r) => (
            <HistoryItem key={r.id} run={r} i18n={i18n} className={s.item} secondary={s.secondary} details={s.details} list={s.list} />
          ))}
        </ul>
      )}
    </section>
  );
}

interface HistoryItemProps {
  run: RunRecord;
  i18n: Translator;
  className: string;
  secondary: string;
  details: string;
  list: string;
}

function HistoryItem({ run: r, i18n, className, secondary, details, list }: HistoryItemProps) {
  const { t } = i18n;
  const counts = countsText(r.counts, i18n);
  const checks = r.counts.checks;
  const summary = [counts, checks && checks > 1 ? t("status.historyChecks", { count: checks, time: i18n.dateTime(r.startedAt) }) : ""].filter(Boolean).join("; ");
  const message = runMessageText(r, i18n);
  return (
    <li className={className}>
      <Text>{i18n.dateTime(runTime(r))}</Text>
      <Text weight="semibold">{runStatusText(r, i18n)}</Text>
      {summary && <Text className={secondary}>{summary}</Text>}
      {(r.errors.length > 0 || message) && (
        <details className={details}>
          <summary>{t("common.details")}</summary>
          {message && <div>{message}</div>}
          {r.errors.length > 0 && (
            <ul className={list}>
              {r.errors.map((e, i) => (
                <li key={i}>
                  {e.name || t("common.noName")}: {i18n.localTimes(e.message)}
                </li>
              ))}
            </ul>
          )}
        </details>
      )}
    </li>
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
