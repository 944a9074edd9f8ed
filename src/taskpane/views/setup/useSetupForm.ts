// The Setup form's draft: starts from the saved settings, edits stay local until OK.
import { useCallback, useEffect, useState } from "react";
import type { ContactFilter } from "../../../sync/filters";
import type { PracticeServices } from "../../services";
import { messageOf } from "../../safety-stop";
import { DEFAULT_SETTINGS, type PaneSettings } from "../../settings";

export interface SetupForm {
  draft: PaneSettings;
  set<K extends keyof PaneSettings>(key: K, value: PaneSettings[K]): void;
  filters: ContactFilter[] | null;
  filtersError: string | null;
  error: string | null;
  saving: boolean;
  save(): Promise<boolean>;
}

export function useSetupForm(
  initial: PaneSettings | null,
  practice: PracticeServices,
  onSave: (s: PaneSettings) => Promise<void>,
): SetupForm {
  const [draft, setDraft] = useState<PaneSettings>(initial ?? DEFAULT_SETTINGS);
  const [filters, setFilters] = useState<ContactFilter[] | null>(null);
  const [filtersError, setFiltersError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let live = true;
    practice
      .listFilters()
      .then((f) => live && setFilters(f))
      .catch((err) => {
        if (!live) return;
        setFilters([]);
        setFiltersError(`The firm's filters could not be loaded: ${messageOf(err)}`);
      });
    return () => {
      live = false;
    };
  }, [practice]);

  const set = useCallback(<K extends keyof PaneSettings>(key: K, value: PaneSettings[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setError(null);
  }, []);

  const save = useCallback(async () => {
    if (!draft.folder) {
      setError("Choose the Outlook folder to synchronize with.");
      return false;
    }
    if (draft.filterId && filters && !filters.some((f) => f.id === draft.filterId)) {
      setError("The chosen filter no longer exists. Pick another one or All contacts.");
      return false;
    }
    setSaving(true);
    try {
      await onSave(draft);
      return true;
    } catch (err) {
      setError(`The settings could not be saved: ${messageOf(err)}`);
      return false;
    } finally {
      setSaving(false);
    }
  }, [draft, filters, onSave]);

  return { draft, set, filters, filtersError, error, saving, save };
}
