// Setup (DESIGN §1.3): folder, contacts to synchronize, import kind, confirmation, automatic sync.
// OK saves the settings (they roam per user) and starts a sync; OK and Cancel sit in a footer that
// stays visible. The draft survives a visit to another tab (the App keeps it until OK or Cancel).
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
import { DEFAULT_SETTINGS, type PaneSettings } from "../../settings";
import { useI18n } from "../../i18n/i18n-context";
import { FolderPicker } from "./FolderPicker";
import { useFolders } from "./useFolders";
import { useSetupForm } from "./useSetupForm";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "flex-end", flexWrap: "wrap" },
  grow: { flexGrow: 1 },
  // Fluent greys an unticked label (it reads as disabled); these are choices, in full colour.
  label: { color: tokens.colorNeutralForeground1 },
  // Fluent greys an unchecked radio's label with a selector stronger than one class.
  radios: { "& .fui-Radio__input:enabled:not(:checked) ~ .fui-Radio__label": { color: tokens.colorNeutralForeground1 } },
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
  unsaved: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});

export interface SetupViewProps {
  /** Where the form starts: the unsaved draft if the user left Setup with one, else the saved settings. */
  settings: PaneSettings | null;
  /** The saved settings, to tell whether the form has unsaved changes. */
  saved?: PaneSettings | null;
  onDraftChange?(draft: PaneSettings): void;
  /** Persists the settings; the caller then syncs. */
  onSave(settings: PaneSettings): Promise<void>;
  onCancel(): void;
  /** Opens the filter editor; receives the unsaved draft so Setup can resume where it was. */
  onManageFilters(draft: PaneSettings): void;
}

export function SetupView({ settings, saved, onDraftChange, onSave, onCancel, onManageFilters }: SetupViewProps) {
  const s = useStyles();
  const services = useServices();
  const { t } = useI18n();
  const form = useSetupForm(settings, services.practice, onSave, onDraftChange);
  const { draft, set } = form;
  const folders = useFolders(services.folders, draft.sharedMailboxes);
  const unsaved = JSON.stringify(draft) !== JSON.stringify(saved ?? DEFAULT_SETTINGS);
  const label = (text: string) => ({ children: text, className: s.label });

  return (
    <section className={s.root} aria-labelledby="setup-title" data-testid="setup-view">
      <Text as="h2" size={400} weight="semibold" id="setup-title" tabIndex={-1}>
        {t("setup.title")}
      </Text>
      <FolderPicker
        folders={folders}
        value={draft.folder}
        onChange={(f) => set("folder", f)}
        onAddSharedMailbox={(a) =>
          draft.sharedMailboxes.includes(a) || set("sharedMailboxes", [...draft.sharedMailboxes, a])
        }
      />
      {draft.folder && <Text data-testid="chosen-folder">{t("setup.chosen", { path: draft.folder.path })}</Text>}

      <div className={s.row}>
        <Field
          label={t("setup.toSync")}
          className={s.grow}
          validationMessage={
            form.filterMissing
              ? t("setup.filterDeleted")
              : (form.filtersError ?? undefined)
          }
        >
          <Select
            value={draft.filterId ?? ""}
            onChange={(_, d) => set("filterId", d.value === "" ? null : d.value)}
            data-testid="filter-select"
          >
            {/* A deleted filter stays visible as what is chosen, so the user sees what to change. */}
            {form.filterMissing && <option value={draft.filterId ?? ""}>{t("setup.deletedFilter")}</option>}
            <option value="">{t("setup.all")}</option>
            {(form.filters ?? []).map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </Select>
        </Field>
        <Button onClick={() => onManageFilters(draft)}>{t("setup.manageFilters")}</Button>
      </div>

      <Field label={t("setup.importAs")}>
        <RadioGroup className={s.radios} value={draft.importKind} onChange={(_, d) => set("importKind", d.value === "standalone" ? "standalone" : "client")}>
          <Radio value="client" label={label(t("setup.importClients"))} />
          <Radio value="standalone" label={label(t("setup.importStandalones"))} />
        </RadioGroup>
      </Field>

      <Checkbox
        checked={draft.confirmBeforeCommit}
        onChange={(_, d) => set("confirmBeforeCommit", d.checked === true)}
        label={label(t("setup.confirm"))}
      />
      <Checkbox
        checked={draft.autoSync}
        onChange={(_, d) => set("autoSync", d.checked === true)}
        label={label(t("setup.autoSync"))}
      />
      <Checkbox
        checked={draft.wholeRecord}
        onChange={(_, d) => set("wholeRecord", d.checked === true)}
        label={label(t("setup.wholeRecord"))}
      />
      <Checkbox
        checked={draft.deleteStandaloneOnOutlookDelete}
        onChange={(_, d) => set("deleteStandaloneOnOutlookDelete", d.checked === true)}
        label={label(t("setup.deleteStandalones"))}
      />
      <Switch
        checked={draft.useDefaultTerminology}
        onChange={(_, d) => set("useDefaultTerminology", d.checked)}
        label={label(t("setup.defaultTerms"))}
      />

      {form.error && (
        <MessageBar intent="error" data-testid="setup-error">
          <MessageBarBody>{form.error}</MessageBarBody>
        </MessageBar>
      )}
      <div className={s.footer}>
        <Button appearance="primary" onClick={() => void form.save()} disabled={form.saving} data-testid="setup-ok">
          {t("common.ok")}
        </Button>
        <Button onClick={onCancel} disabled={form.saving}>
          {t("common.cancel")}
        </Button>
        {unsaved && (
          <Text className={s.unsaved} data-testid="setup-unsaved">
            {t("setup.unsaved")}
          </Text>
        )}
      </div>
    </section>
  );
}
