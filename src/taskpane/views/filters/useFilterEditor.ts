// State of the Contact Filters editor: the firm's filters, the fields they can use, the draft
// being edited, and the messages from local validation and from the API's problem responses; the
// firm's staff (criteria pick people by name) and its contacts, so the draft's effect is previewed.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { validateFilter, type ContactFilter } from "../../../sync/filters";
import type { PracticeContact } from "../../../sync/model";
import { ProblemError, type FilterFieldInfo, type PracticeServices, type StaffMember } from "../../services";
import { useI18n } from "../../i18n/i18n-context";
import { messageOf } from "../../safety-stop";
import { NO_ERRORS, draftOf, groupErrors, newDraft, toDefinition, type DraftErrors, type FilterDraft } from "./filter-draft";
import { folderEffect, previewDraft, type DraftPreview, type FolderEffect } from "./filter-preview";

export interface FilterEditor {
  filters: ContactFilter[] | null;
  fields: FilterFieldInfo[];
  loadError: string | null;
  draft: FilterDraft | null;
  errors: DraftErrors;
  /** The API's summary (problem title/detail) when it refused a save or delete. */
  apiError: string | null;
  busy: boolean;
  staff: StaffMember[];
  /** The draft's effect over the firm's contacts; null until they are loaded (or if they cannot be). */
  preview: DraftPreview | null;
  previewError: string | null;
  /** Set when saving would change the user's own folder and waits for their confirmation. */
  confirmEffect: FolderEffect | null;
  startNew(): void;
  startEdit(f: ContactFilter): void;
  update(d: FilterDraft): void;
  cancel(): void;
  /** Saves; a filter the user's sync uses asks first (confirmEffect) when the folder would change. */
  save(confirmed?: boolean): Promise<ContactFilter | null>;
  dismissConfirm(): void;
  remove(id: string): Promise<boolean>;
}

export function useFilterEditor(practice: PracticeServices, syncFilterId: string | null = null): FilterEditor {
  const [filters, setFilters] = useState<ContactFilter[] | null>(null);
  const [fields, setFields] = useState<FilterFieldInfo[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState<FilterDraft | null>(null);
  const [errors, setErrors] = useState<DraftErrors>(NO_ERRORS);
  const [apiError, setApiError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const [contacts, setContacts] = useState<PracticeContact[] | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [confirmEffect, setConfirmEffect] = useState<FolderEffect | null>(null);
  const i18n = useI18n();
  // Read when an error lands, so a change of terms does not reload the lists.
  const words = useRef(i18n);
  useEffect(() => {
    words.current = i18n;
  }, [i18n]);

  useEffect(() => {
    let live = true;
    practice
      .staff()
      .then((s) => live && setStaff(s))
      .catch(() => undefined); // criteria still show; unknown people are flagged
    return () => {
      live = false;
    };
  }, [practice]);

  // The contacts are read once, when a filter is first opened for editing.
  const editing = draft !== null;
  useEffect(() => {
    if (!editing || contacts !== null) return;
    const ctrl = new AbortController();
    practice
      .listContacts({ signal: ctrl.signal })
      .then((c) => setContacts(c))
      .catch((err) => {
        if (!ctrl.signal.aborted) setPreviewError(words.current.t("filters.previewError", { message: messageOf(err) }));
      });
    return () => ctrl.abort();
  }, [editing, contacts, practice]);

  const preview = useMemo(() => (draft && contacts ? previewDraft(draft, contacts, staff, i18n) : null), [draft, contacts, staff, i18n]);

  // Reading and showing are apart so the first load can set state from its promise only (the
  // effect below), never synchronously in the effect body (react-hooks/set-state-in-effect).
  const fetchLists = useCallback(
    () => Promise.all([practice.listFilters(), practice.filterFields()]).then(([f, ff]) => ({ f, ff }), (err: unknown) => ({ err })),
    [practice],
  );
  const showLists = useCallback((r: { f: ContactFilter[]; ff: FilterFieldInfo[] } | { err: unknown }) => {
    if ("err" in r) {
      setFilters((prev) => prev ?? []);
      setLoadError(words.current.t("filters.loadError", { message: messageOf(r.err) }));
      return;
    }
    setFilters(r.f);
    setFields(r.ff);
    setLoadError(null);
  }, []);
  const reload = useCallback(async () => showLists(await fetchLists()), [fetchLists, showLists]);

  useEffect(() => {
    let live = true;
    void fetchLists().then((r) => live && showLists(r));
    return () => {
      live = false;
    };
  }, [fetchLists, showLists]);

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

  const save = useCallback(async (confirmed = false) => {
    if (!draft) return null;
    const def = toDefinition(draft);
    const checked = validateFilter(def);
    if (!checked.ok) {
      setErrors(groupErrors(checked.errors));
      setApiError(null);
      return null;
    }
    clearMessages();
    setConfirmEffect(null);
    // The filter the user's own sync uses: say what its folder would gain and lose, first.
    const stored = draft.id && draft.id === syncFilterId ? filters?.find((f) => f.id === draft.id) : undefined;
    if (!confirmed && stored && contacts) {
      const effect = folderEffect(stored, checked.value, contacts);
      if (effect.leaving > 0 || effect.joining > 0) {
        setConfirmEffect(effect);
        return null;
      }
    }
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
  }, [draft, practice, reload, syncFilterId, filters, contacts]);

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
    staff,
    preview,
    previewError,
    confirmEffect,
    dismissConfirm: () => setConfirmEffect(null),
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
