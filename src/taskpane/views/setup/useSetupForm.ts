// The Setup form's draft: starts from the saved settings, edits stay local until OK.
import { useCallback, useEffect, useRef, useState } from "react";
import type { ContactFilter } from "../../../sync/filters";
import type { PracticeServices } from "../../services";
import { useI18n } from "../../i18n/i18n-context";
import { messageOf } from "../../safety-stop";
import { DEFAULT_SETTINGS, type PaneSettings } from "../../settings";

export interface SetupForm {
  draft: PaneSettings;
  set<K extends keyof PaneSettings>(key: K, value: PaneSettings[K]): void;
  filters: ContactFilter[] | null;
  filtersError: string | null;
  filterMissing: boolean;
  error: string | null;
  saving: boolean;
  save(): Promise<boolean>;
}

export function useSetupForm(
  initial: PaneSettings | null,
  practice: PracticeServices,
  onSave: (s: PaneSettings) => Promise<void>,
  /** Told of every edit, so the draft survives leaving Setup for another tab. */
  onDraftChange?: (s: PaneSettings) => void,
): SetupForm {
  const [draft, setDraft] = useState<PaneSettings>(initial ?? DEFAULT_SETTINGS);
  const [filters, setFilters] = useState<ContactFilter[] | null>(null);
  const [filtersError, setFiltersError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  // Read when a message is made, so a change of terms does not reload the filters.
  const i18n = useI18n();
  const words = useRef(i18n);
  useEffect(() => {
    words.current = i18n;
  }, [i18n]);

  useEffect(() => {
    let live = true;
    practice
      .listFilters()
      .then((f) => live && setFilters(f))
      .catch((err) => {
        if (!live) return;
        setFilters([]);
        setFiltersError(words.current.t("setup.filtersError", { message: messageOf(err) }));
      });
    return () => {
      live = false;
    };
  }, [practice]);

  const draftChanged = useRef(onDraftChange);
  // Kept current in an effect, not during render (react-hooks/refs); it runs before the one below.
  useEffect(() => {
    draftChanged.current = onDraftChange;
  }, [onDraftChange]);
  const edited = useRef(false);
  const set = useCallback(<K extends keyof PaneSettings>(key: K, value: PaneSettings[K]) => {
    edited.current = true;
    setDraft((d) => ({ ...d, [key]: value }));
    setError(null);
  }, []);
  useEffect(() => {
    if (edited.current) draftChanged.current?.(draft);
  }, [draft]);

  /** The chosen filter was deleted (by anyone in the firm): said at the field, before OK. */
  const filterMissing = !!draft.filterId && filters !== null && !filtersError && !filters.some((f) => f.id === draft.filterId);

  const save = useCallback(async () => {
    if (!draft.folder) {
      setError(words.current.t("setup.chooseFolder"));
      return false;
    }
    if (filterMissing) return false;
    setSaving(true);
    try {
      await onSave(draft);
      return true;
    } catch (err) {
      setError(words.current.t("setup.saveError", { message: messageOf(err) }));
      return false;
    } finally {
      setSaving(false);
    }
  }, [draft, filterMissing, onSave]);

  return { draft, set, filters, filtersError, filterMissing, error, saving, save };
}
