// State of the Contact Filters editor: the firm's filters, the fields they can use, the draft
// being edited, and the messages from local validation and from the API's problem responses.
import { useCallback, useEffect, useState } from "react";
import { validateFilter, type ContactFilter } from "../../../sync/filters";
import { ProblemError, type FilterFieldInfo, type PracticeServices } from "../../services";
import { messageOf } from "../../safety-stop";
import { NO_ERRORS, draftOf, groupErrors, newDraft, toDefinition, type DraftErrors, type FilterDraft } from "./filter-draft";

export interface FilterEditor {
  filters: ContactFilter[] | null;
  fields: FilterFieldInfo[];
  loadError: string | null;
  draft: FilterDraft | null;
  errors: DraftErrors;
  /** The API's summary (problem title/detail) when it refused a save or delete. */
  apiError: string | null;
  busy: boolean;
  startNew(): void;
  startEdit(f: ContactFilter): void;
  update(d: FilterDraft): void;
  cancel(): void;
  save(): Promise<ContactFilter | null>;
  remove(id: string): Promise<boolean>;
}

export function useFilterEditor(practice: PracticeServices): FilterEditor {
  const [filters, setFilters] = useState<ContactFilter[] | null>(null);
  const [fields, setFields] = useState<FilterFieldInfo[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState<FilterDraft | null>(null);
  const [errors, setErrors] = useState<DraftErrors>(NO_ERRORS);
  const [apiError, setApiError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(async () => {
    try {
      const [f, ff] = await Promise.all([practice.listFilters(), practice.filterFields()]);
      setFilters(f);
      setFields(ff);
      setLoadError(null);
    } catch (err) {
      setFilters((prev) => prev ?? []);
      setLoadError(`The filters could not be loaded: ${messageOf(err)}`);
    }
  }, [practice]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const clearMessages = () => {
    setErrors(NO_ERRORS);
    setApiError(null);
  };

  const explain = (err: unknown) => {
    if (err instanceof ProblemError) {
      setErrors(groupErrors(err.errors));
      setApiError(err.detail ? `${err.title}: ${err.detail}` : err.title);
    } else {
      setApiError(messageOf(err));
    }
  };

  const save = useCallback(async () => {
    if (!draft) return null;
    const def = toDefinition(draft);
    const checked = validateFilter(def);
    if (!checked.ok) {
      setErrors(groupErrors(checked.errors));
      setApiError(null);
      return null;
    }
    clearMessages();
    setBusy(true);
    try {
      const saved = draft.id ? await practice.updateFilter(draft.id, checked.value) : await practice.createFilter(checked.value);
      setDraft(null);
      await reload();
      return saved;
    } catch (err) {
      explain(err);
      return null;
    } finally {
      setBusy(false);
    }
  }, [draft, practice, reload]);

  const remove = useCallback(
    async (id: string) => {
      clearMessages();
      setBusy(true);
      try {
        await practice.deleteFilter(id);
        if (draft?.id === id) setDraft(null);
        await reload();
        return true;
      } catch (err) {
        explain(err);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [draft, practice, reload],
  );

  return {
    filters,
    fields,
    loadError,
    draft,
    errors,
    apiError,
    busy,
    startNew: () => {
      clearMessages();
      setDraft(newDraft(fields));
    },
    startEdit: (f) => {
      clearMessages();
      setDraft(draftOf(f));
    },
    update: setDraft,
    cancel: () => {
      clearMessages();
      setDraft(null);
    },
    save,
    remove,
  };
}
