// Setup (DESIGN §1.3): folder, contacts to synchronize, import kind, confirmation, automatic sync.
// OK saves the settings (they roam per user) and starts a sync.
import {
  Button,
  Checkbox,
  Field,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Select,
  Switch,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useServices } from "../../services-context";
import type { PaneSettings } from "../../settings";
import { useTerms } from "../../terminology-context";
import { lower } from "../../terminology";
import { FolderPicker } from "./FolderPicker";
import { useFolders } from "./useFolders";
import { useSetupForm } from "./useSetupForm";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "flex-end", flexWrap: "wrap" },
  grow: { flexGrow: 1 },
});

export interface SetupViewProps {
  settings: PaneSettings | null;
  /** Persists the settings; the caller then syncs. */
  onSave(settings: PaneSettings): Promise<void>;
  onCancel(): void;
  /** Opens the filter editor; receives the unsaved draft so Setup can resume where it was. */
  onManageFilters(draft: PaneSettings): void;
}

export function SetupView({ settings, onSave, onCancel, onManageFilters }: SetupViewProps) {
  const s = useStyles();
  const services = useServices();
  const terms = useTerms();
  const form = useSetupForm(settings, services.practice, onSave);
  const { draft, set } = form;
  const folders = useFolders(services.folders, draft.sharedMailboxes);

  return (
    <section className={s.root} aria-labelledby="setup-title" data-testid="setup-view">
      <Text as="h2" size={500} weight="semibold" id="setup-title">
        Setup
      </Text>
      <FolderPicker
        folders={folders}
        value={draft.folder}
        onChange={(f) => set("folder", f)}
        onAddSharedMailbox={(a) =>
          draft.sharedMailboxes.includes(a) || set("sharedMailboxes", [...draft.sharedMailboxes, a])
        }
      />
      {draft.folder && <Text data-testid="chosen-folder">Chosen: {draft.folder.path}</Text>}

      <div className={s.row}>
        <Field label={`${terms.contacts} to synchronize`} className={s.grow} validationMessage={form.filtersError ?? undefined}>
          <Select
            value={draft.filterId ?? ""}
            onChange={(_, d) => set("filterId", d.value === "" ? null : d.value)}
            data-testid="filter-select"
          >
            <option value="">All {lower(terms.contacts)}</option>
            {(form.filters ?? []).map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </Select>
        </Field>
        <Button onClick={() => onManageFilters(draft)}>Manage filters…</Button>
      </div>

      <Field label={`Import ${lower(terms.contacts)} from Outlook as`}>
        <RadioGroup value={draft.importKind} onChange={(_, d) => set("importKind", d.value === "standalone" ? "standalone" : "client")}>
          <Radio value="client" label={terms.clients} />
          <Radio value="standalone" label={terms.standalones} />
        </RadioGroup>
      </Field>

      <Checkbox
        checked={draft.confirmBeforeCommit}
        onChange={(_, d) => set("confirmBeforeCommit", d.checked === true)}
        label="Display confirmation dialog prior to committing changes"
      />
      <Checkbox
        checked={draft.autoSync}
        onChange={(_, d) => set("autoSync", d.checked === true)}
        label={`Enable automatic ${lower(terms.contact)} synchronization`}
      />
      <Checkbox
        checked={draft.wholeRecord}
        onChange={(_, d) => set("wholeRecord", d.checked === true)}
        label="When both sides changed, the most recently changed record wins every field"
      />
      <Checkbox
        checked={draft.deleteStandaloneOnOutlookDelete}
        onChange={(_, d) => set("deleteStandaloneOnOutlookDelete", d.checked === true)}
        label={`Deleting a ${lower(terms.standalone)} in Outlook deletes it in the practice system`}
      />
      <Switch
        checked={draft.useDefaultTerminology}
        onChange={(_, d) => set("useDefaultTerminology", d.checked)}
        label="Use default terminology"
      />

      {form.error && (
        <MessageBar intent="error" data-testid="setup-error">
          <MessageBarBody>{form.error}</MessageBarBody>
        </MessageBar>
      )}
      <div className={s.row}>
        <Button appearance="primary" onClick={() => void form.save()} disabled={form.saving} data-testid="setup-ok">
          OK
        </Button>
        <Button onClick={onCancel} disabled={form.saving}>
          Cancel
        </Button>
      </div>
    </section>
  );
}
