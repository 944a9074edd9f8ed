// Pending changes (R14): the plan grouped by add / update / remove / conflict, every row
// selectable, "Apply changes" commits the selected ones and "Cancel" writes nothing. A plan with a
// safety stop (R15) can only be applied through the confirmation dialog.
import { useCallback, useMemo, useState } from "react";
import { Button, MessageBar, MessageBarBody, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { ApplyRequest, SafetyStop, SyncPlan } from "../../../sync/plan-types";
import { useTerms } from "../../terminology-context";
import { ChangeRow } from "./ChangeRow";
import { GroupHeaderRow } from "./GroupHeaderRow";
import { buildPendingRows, type PendingRow } from "./pending-rows";
import { SafetyDialog } from "./SafetyDialog";
import { usePendingSelection } from "./usePendingSelection";
import { VirtualRows } from "./VirtualRows";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, height: "100%", minHeight: 0 },
  list: { flexGrow: 1, minHeight: "240px", height: "60vh", border: `1px solid ${tokens.colorNeutralStroke2}` },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
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

const estimateRow = (row: PendingRow) => (row.type === "group" ? 36 : 64 + 18 * row.change.fields.length);
const rowKey = (row: PendingRow) => row.key;

export function PendingChangesView({ plan, applying, safetyStop, error, onApply, onCancel }: PendingChangesViewProps) {
  const s = useStyles();
  const terms = useTerms();
  const sel = usePendingSelection(plan);
  const rows = useMemo(() => buildPendingRows(plan.changes), [plan]);
  const [confirming, setConfirming] = useState(false);
  const stop = safetyStop ?? plan.safety;

  const renderRow = useCallback(
    (row: PendingRow) =>
      row.type === "group" ? (
        <GroupHeaderRow group={row.group} count={row.ids.length} state={sel.groupState(row.group)} onSet={sel.setGroup} />
      ) : (
        <ChangeRow
          change={row.change}
          selected={sel.isSelected(row.change.id)}
          resolution={sel.resolution(row.change.id)}
          terms={terms}
          onToggle={sel.toggle}
          onResolve={sel.setResolution}
        />
      ),
    [sel, terms],
  );

  const applyClicked = () => {
    if (stop) setConfirming(true);
    else onApply(sel.request());
  };

  return (
    <section className={s.root} aria-labelledby="pending-title" data-testid="pending-view">
      <Text as="h2" size={500} weight="semibold" id="pending-title">
        Pending changes
      </Text>
      {stop && (
        <MessageBar intent="warning">
          <MessageBarBody>{stop.reason} Applying needs your confirmation.</MessageBarBody>
        </MessageBar>
      )}
      {error && (
        <MessageBar intent="error" data-testid="apply-error">
          <MessageBarBody>The changes could not be applied: {error}</MessageBarBody>
        </MessageBar>
      )}
      {plan.changes.length === 0 ? (
        <Text>Nothing to change: Outlook and the practice system agree.</Text>
      ) : (
        <>
          <Text aria-live="polite" data-testid="pending-summary">
            {sel.selectedCount} of {plan.changes.length} changes selected
          </Text>
          <VirtualRows
            items={rows}
            getKey={rowKey}
            estimateSize={estimateRow}
            renderRow={renderRow}
            label="Pending changes"
            className={s.list}
            testId="pending-list"
          />
        </>
      )}
      <div className={s.actions}>
        <Button
          appearance="primary"
          onClick={applyClicked}
          disabled={applying || sel.selectedCount === 0}
          data-testid="apply-changes"
        >
          {applying ? "Applying…" : "Apply changes"}
        </Button>
        <Button onClick={onCancel} disabled={applying} data-testid="cancel-changes">
          Cancel
        </Button>
      </div>
      <SafetyDialog
        stop={stop}
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
