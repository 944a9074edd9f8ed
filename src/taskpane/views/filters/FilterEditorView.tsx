// Contact filters: the firm's filters (list, add, edit, delete), each described in words with
// people by name, and the editor for one of them. Saving the filter the user's own sync uses says
// first what will change in their folder; both dialogs open on their safe choice.
import { useState } from "react";
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { ContactFilter } from "../../../sync/filters";
import { useServices } from "../../services-context";
import { useI18n } from "../../i18n/i18n-context";
import { filterFieldLabel } from "./filter-field-words";
import { FilterForm } from "./FilterForm";
import { criterionText, folderEffectText } from "./filter-preview";
import { useFilterEditor } from "./useFilterEditor";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  list: { margin: 0, paddingLeft: 0, listStyleType: "none", display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  item: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
  name: { flexGrow: 1, flexBasis: "180px", minWidth: 0, overflowWrap: "anywhere", display: "flex", flexDirection: "column" },
  // Edit and Delete wrap together, never one without the other.
  actions: { display: "flex", gap: tokens.spacingHorizontalS, flexShrink: 0 },
  summary: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  row: { display: "flex", gap: tokens.spacingHorizontalS },
});

export interface FilterEditorViewProps {
  /** The filter the user's saved settings sync with (null: all contacts), for the save warning. */
  syncFilterId?: string | null;
  onDone(): void;
}

export function FilterEditorView({ syncFilterId = null, onDone }: FilterEditorViewProps) {
  const s = useStyles();
  const i18n = useI18n();
  const { t } = i18n;
  const { practice } = useServices();
  const ed = useFilterEditor(practice, syncFilterId);
  const [deleting, setDeleting] = useState<ContactFilter | null>(null);
  const labelOf = (field: string) => filterFieldLabel({ name: field, label: ed.fields.find((f) => f.name === field)?.label ?? field }, i18n);
  const describe = (f: ContactFilter) =>
    f.criteria.map((c) => criterionText(c, labelOf(c.field), ed.staff, i18n)).join(t(f.match === "all" ? "filters.joinAll" : "filters.joinAny"));

  return (
    <section className={s.root} aria-labelledby="filters-title" data-testid="filters-view">
      <Text as="h2" size={400} weight="semibold" id="filters-title" tabIndex={-1}>
        {t("filters.title")}
      </Text>
      {ed.loadError && (
        <MessageBar intent="error">
          <MessageBarBody>{ed.loadError}</MessageBarBody>
        </MessageBar>
      )}
      {ed.draft ? (
        <FilterForm
          draft={ed.draft}
          fields={ed.fields}
          errors={ed.errors}
          apiError={ed.apiError}
          busy={ed.busy}
          staff={ed.staff}
          preview={ed.preview}
          previewError={ed.previewError}
          onChange={ed.update}
          onSave={() => void ed.save()}
          onCancel={ed.cancel}
        />
      ) : (
        <>
          {ed.filters === null ? (
            <Spinner size="tiny" label={t("filters.loading")} />
          ) : ed.filters.length === 0 ? (
            <Text>{t("filters.none")}</Text>
          ) : (
            <ul className={s.list} aria-label={t("filters.listLabel")}>
              {ed.filters.map((f) => (
                <li key={f.id} className={s.item}>
                  <span className={s.name}>
                    <Text id={`filter-${f.id}`}>
                      {f.id === syncFilterId ? t("filters.inUse", { name: f.name }) : f.name}
                    </Text>
                    <Text className={s.summary} data-testid="filter-summary">
                      {describe(f)}
                    </Text>
                  </span>
                  <span className={s.actions}>
                    <Button size="small" onClick={() => ed.startEdit(f)} aria-label={t("filters.editLabel", { name: f.name })}>
                      {t("filters.edit")}
                    </Button>
                    <Button size="small" onClick={() => setDeleting(f)} aria-label={t("filters.deleteLabel", { name: f.name })}>
                      {t("common.delete")}
                    </Button>
                  </span>
                </li>
              ))}
            </ul>
          )}
          {ed.apiError && (
            <MessageBar intent="error" data-testid="filter-api-error">
              <MessageBarBody>{ed.apiError}</MessageBarBody>
            </MessageBar>
          )}
          <div className={s.row}>
            <Button appearance="primary" onClick={ed.startNew} disabled={ed.filters === null} data-testid="filter-add">
              {t("filters.add")}
            </Button>
            <Button onClick={onDone}>{t("filters.done")}</Button>
          </div>
        </>
      )}
      <Dialog open={ed.confirmEffect !== null} modalType="alert" onOpenChange={(_, d) => !d.open && ed.dismissConfirm()}>
        <DialogSurface data-testid="filter-effect-dialog">
          <DialogBody>
            <DialogTitle>{t("filters.effectTitle")}</DialogTitle>
            <DialogContent data-testid="filter-effect">
              {ed.confirmEffect && folderEffectText(ed.confirmEffect, i18n)} {t("filters.effectNext")}
            </DialogContent>
            <DialogActions>
              {/* The safe choice first: the dialog focuses the first focusable element. */}
              <Button appearance="primary" onClick={ed.dismissConfirm}>
                {t("filters.keepEditing")}
              </Button>
              <Button onClick={() => void ed.save(true)} data-testid="filter-effect-save">
                {t("filters.saveAnyway")}
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
      <Dialog open={deleting !== null} modalType="alert" onOpenChange={(_, d) => !d.open && setDeleting(null)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>{t("filters.deleteTitle")}</DialogTitle>
            <DialogContent>{t("filters.deleteBody", { name: deleting?.name ?? "" })}</DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => setDeleting(null)} data-testid="filter-delete-cancel">
                {t("common.cancel")}
              </Button>
              <Button
                onClick={() => {
                  const f = deleting;
                  setDeleting(null);
                  if (f) void ed.remove(f.id);
                }}
                data-testid="filter-delete-confirm"
              >
                {t("common.delete")}
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </section>
  );
}
