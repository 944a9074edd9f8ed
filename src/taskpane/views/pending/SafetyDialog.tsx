// R15: a run that would remove or overwrite a large part of a store stops here until the user
// confirms it explicitly; only "Apply anyway" passes force: true.
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
} from "@fluentui/react-components";
import type { SafetyStop } from "../../../sync/plan-types";

export interface SafetyDialogProps {
  stop: SafetyStop | null;
  open: boolean;
  onConfirm(): void;
  onCancel(): void;
}

export function SafetyDialog({ stop, open, onConfirm, onCancel }: SafetyDialogProps) {
  const where = stop?.side === "outlook" ? "the Outlook folder" : "the practice system";
  return (
    <Dialog open={open && !!stop} modalType="alert" onOpenChange={(_, d) => !d.open && onCancel()}>
      <DialogSurface aria-describedby="safety-dialog-text">
        <DialogBody>
          <DialogTitle>Large change: please confirm</DialogTitle>
          <DialogContent id="safety-dialog-text">
            <p>{stop?.reason}</p>
            {stop && stop.total > 0 && (
              <p>
                {stop.affected} of {stop.total} contacts in {where} would be removed or overwritten.
              </p>
            )}
            <p>Nothing has been written yet. Check the pending list before going on.</p>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onConfirm} data-testid="safety-confirm">
              Apply anyway
            </Button>
            <Button onClick={onCancel}>Don&apos;t apply</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
