// R15: a run that would remove or overwrite a large part of a store stops here until the user
// confirms it explicitly; only "Apply anyway" passes force: true. The dialog opens on the safe
// choice ("Don't apply"), so a stray Enter never applies a mass removal, and it names the cause
// with its numbers.
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
} from "@fluentui/react-components";
import type { PlannedChange, SafetyStop } from "../../../sync/plan-types";
import { useI18n } from "../../i18n/i18n-context";
import { FALLBACK_LOCALE } from "../../i18n/locales";
import { safetyCause } from "./safety-words";

export interface SafetyDialogProps {
  stop: SafetyStop | null;
  /** The stopped plan's rows, counted for the cause. */
  changes: readonly PlannedChange[];
  open: boolean;
  onConfirm(): void;
  onCancel(): void;
}

export function SafetyDialog({ stop, changes, open, onConfirm, onCancel }: SafetyDialogProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const cause = stop ? safetyCause(stop, changes, i18n) : null;
  return (
    <Dialog open={open && !!stop} modalType="alert" onOpenChange={(_, d) => !d.open && onCancel()}>
      <DialogSurface aria-describedby="safety-dialog-text" data-testid="safety-dialog">
        <DialogBody>
          <DialogTitle>{cause?.title ?? t("safety.titleFallback")}</DialogTitle>
          <DialogContent id="safety-dialog-text">
            {/* The engine states its trigger in English. In another language the counted cause below says
                it; the engine's sentence shows only when there is no cause to count. (Not behind a
                Details toggle: that would take the dialog's first focus from the safe choice.) */}
            {stop && (i18n.locale === FALLBACK_LOCALE || !cause?.parts.length) && <p>{stop.reason}</p>}
            {cause && cause.parts.length > 0 && <p data-testid="safety-cause">{cause.detail}</p>}
            <p>{t("safety.nothingWritten")}</p>
          </DialogContent>
          <DialogActions>
            {/* The safe choice comes first: Fluent's Dialog focuses the first focusable element when
                it opens (react-dialog useFocusFirstElement). */}
            <Button appearance="primary" onClick={onCancel} data-testid="safety-cancel">
              {t("safety.dontApply")}
            </Button>
            <Button onClick={onConfirm} data-testid="safety-confirm">
              {t("safety.applyAnyway")}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
