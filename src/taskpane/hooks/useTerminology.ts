// The firm's terminology from the practice API, or the defaults when asked or unavailable.
import { useEffect, useState } from "react";
import type { PracticeServices } from "../services";
import { resolveTerminology, type Terminology } from "../terminology";

export function useTerminology(practice: PracticeServices, useDefault: boolean): Terminology {
  const [firm, setFirm] = useState<Partial<Terminology> | null>(null);
  useEffect(() => {
    let live = true;
    // Without the firm's words the defaults are shown: terminology never blocks the pane.
    practice
      .terminology()
      .then((t) => live && setFirm(t))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [practice]);
  return resolveTerminology(firm, useDefault);
}
