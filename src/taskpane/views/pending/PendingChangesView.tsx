// Pending changes (R14): a summary of what the plan does, then the rows — conflicts and removals
// first, one line each, expandable to their fields. Every row is selectable; "Apply changes" (in a
// footer that stays visible) commits the selected ones and "Cancel" writes nothing. A plan with a
// safety stop (R15) can only be applied through the confirmation dialog.
import { useCallback, useMemo, useState } from "react";
import { Button, MessageBar, MessageBarBody, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { ApplyRequest, SafetyStop, SyncPlan } from "../../../sync/plan-types";
import { useI18n } from "../../i18n/i18n-context";
import { ChangeRow } from "./ChangeRow";
import { GroupHeaderRow } from "./GroupHeaderRow";
import { buildPendingRows, groupCounts, summaryPart, type PendingRow } from "./pending-rows";
import { SafetyDialog } from "./SafetyDialog";
import { safetyCause } from "./safety-words";
import { usePendingSelection } from "./usePendingSelection";
import { VirtualRows } from "./VirtualRows";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, minHeight: 0 },
  list: { minHeight: "120px", border: `1px solid ${tokens.colorNeutralStroke2}` },
  footer: {
    position: "sticky",
    bottom: 0,
    display: "flex",
    gap: tokens.spacingHorizontalS,
    alignItems: "center",
    flexWrap: "wrap",
    padding: `${tokens.spacingVerticalS} 0`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    zIndex: 1,
  },
  summary: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

export interface PendingChangesViewProps {
  plan: SyncPlan;
  applying: boolean;
  /** A stop reported by the engine on apply (R15), shown as the same dialog. */
  safetyStop?: SafetyStop | null;
  /** Why the last apply failed; the list stays so nothing the user chose is lost. */
  error?: string | null;
  onApply(req: Omit<ApplyRequest, "signal">): void;
  onCancel(): void;
}

const GROUP_HEIGHT = 32;
const ROW_HEIGHT = 40;
const estimateRow = (row: PendingRow) =>
  row.type === "group" ? GROUP_HEIGHT : ROW_HEIGHT + (row.change.group === "conflict" ? 32 : 0) + 36 * row.change.notes.length;
const rowKey = (row: PendingRow) => row.key;

export function PendingChangesView({ plan, applying, safetyStop, error, onApply, onCancel }: PendingChangesViewProps) {
  const s = useStyles();
  const i18n = useI18n();
  const { t } = i18n;
  const sel = usePendingSelection(plan);
  const rows = useMemo(() => buildPendingRows(plan.changes, i18n), [plan, i18n]);
  const counts = useMemo(() => groupCounts(rows), [rows]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [confirming, setConfirming] = useState(false);
  const stop = safetyStop ?? plan.safety;

  const expand = useCallback(
    (id: string) =>
      setExpanded((prev) => {
        const next = new Set(prev);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );

  const renderRow = useCallback(
    (row: PendingRow) =>
      row.type === "group" ? (
        <GroupHeaderRow group={row.group} count={row.ids.length} state={sel.groupState(row.group)} onSet={sel.setGroup} />
      ) : (
        <ChangeRow
          change={row.change}
          hint={row.hint}
          selected={sel.isSelected(row.change.id)}
          expanded={expanded.has(row.change.id)}
          resolution={sel.resolution(row.change.id)}
          onToggle={sel.toggle}
          onExpand={expand}
          onResolve={sel.setResolution}
        />
      ),
    [sel, expanded, expand],
  );

  const applyClicked = () => {
    if (stop) setConfirming(true);
    else onApply(sel.request());
  };

  return (
    <section className={s.root} aria-labelledby="pending-title" data-testid="pending-view">
      <Text as="h2" size={400} weight="semibold" id="pending-title" tabIndex={-1}>
        {t("pending.title")}
      </Text>
      {stop && (
        <MessageBar intent="warning" data-testid="pending-stop">
          <MessageBarBody>
            {t("pending.stopNote", { cause: safetyCause(stop, plan.changes, i18n).detail })}
          </MessageBarBody>
        </MessageBar>
      )}
      {error && (
        <MessageBar intent="error" data-testid="apply-error">
          <MessageBarBody>{t("pending.applyError", { message: error })}</MessageBarBody>
        </MessageBar>
      )}
      {plan.changes.length === 0 ? (
        <Text>{t("pending.nothing")}</Text>
      ) : (
        <>
          <ul className={s.summary} aria-label={t("pending.summaryLabel")} data-testid="pending-counts">
            {counts.map((c) => (
              <li key={c.group}>
                <Text>{summaryPart(c, i18n)}</Text>
              </li>
            ))}
          </ul>
          <VirtualRows
            items={rows}
            getKey={rowKey}
            estimateSize={estimateRow}
            renderRow={renderRow}
            label={t("pending.title")}
            className={s.list}
            // Only as tall as its rows (up to most of the pane), so one row is not a big empty box.
            maxHeight="60vh"
            testId="pending-list"
          />
        </>
      )}
      <div className={s.footer}>
        <Button
          appearance="primary"
          onClick={applyClicked}
          disabled={applying || sel.selectedCount === 0}
          data-testid="apply-changes"
        >
          {t(applying ? "pending.applying" : "pending.apply")}
        </Button>
        <Button onClick={onCancel} disabled={applying} data-testid="cancel-changes">
          {t("common.cancel")}
        </Button>
        {plan.changes.length > 0 && (
          <Text aria-live="polite" data-testid="pending-summary">
            {t("pending.selected", { selected: sel.selectedCount, count: plan.changes.length })}
          </Text>
        )}
      </div>
      <SafetyDialog
        stop={stop}
        changes={plan.changes}
        open={confirming || !!safetyStop}
        onConfirm={() => {
          setConfirming(false);
          onApply(sel.request(true));
        }}
        onCancel={() => {
          setConfirming(false);
          if (safetyStop) onCancel();
        }}
      />
    </section>
  );
}
