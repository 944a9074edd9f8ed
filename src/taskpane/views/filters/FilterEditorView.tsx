// Contact Filters: the firm's filters (list, add, edit, delete) and the editor for one of them.
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
import { FilterForm } from "./FilterForm";
import { useFilterEditor } from "./useFilterEditor";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  list: { margin: 0, paddingLeft: 0, listStyleType: "none", display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  item: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
  name: { flexGrow: 1, overflowWrap: "anywhere" },
  row: { display: "flex", gap: tokens.spacingHorizontalS },
});

export interface FilterEditorViewProps {
  onDone(): void;
}

export function FilterEditorView({ onDone }: FilterEditorViewProps) {
  const s = useStyles();
  const { practice } = useServices();
  const ed = useFilterEditor(practice);
  const [deleting, setDeleting] = useState<ContactFilter | null>(null);

  return (
    <section className={s.root} aria-labelledby="filters-title" data-testid="filters-view">
      <Text as="h2" size={500} weight="semibold" id="filters-title">
        Contact Filters
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
          onChange={ed.update}
          onSave={() => void ed.save()}
          onCancel={ed.cancel}
        />
      ) : (
        <>
          {ed.filters === null ? (
            <Spinner size="tiny" label="Loading filters…" />
          ) : ed.filters.length === 0 ? (
            <Text>No filters yet.</Text>
          ) : (
            <ul className={s.list} aria-label="Filters">
              {ed.filters.map((f) => (
                <li key={f.id} className={s.item}>
                  <Text className={s.name}>{f.name}</Text>
                  <Button size="small" onClick={() => ed.startEdit(f)} aria-label={`Edit ${f.name}`}>
                    Edit
                  </Button>
                  <Button size="small" onClick={() => setDeleting(f)} aria-label={`Delete ${f.name}`}>
                    Delete
                  </Button>
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
              Add filter
            </Button>
            <Button onClick={onDone}>Done</Button>
          </div>
        </>
      )}
      <Dialog open={deleting !== null} onOpenChange={(_, d) => !d.open && setDeleting(null)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Delete filter?</DialogTitle>
            <DialogContent>
              “{deleting?.name}” is shared by the whole firm: colleagues who sync with it will have to pick another filter.
            </DialogContent>
            <DialogActions>
              <Button
                appearance="primary"
                onClick={() => {
                  const f = deleting;
                  setDeleting(null);
                  if (f) void ed.remove(f.id);
                }}
              >
                Delete
              </Button>
              <Button onClick={() => setDeleting(null)}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </section>
  );
}
