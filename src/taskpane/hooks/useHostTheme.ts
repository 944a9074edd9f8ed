// Follows the host's light/dark theme (Office's OfficeThemeChanged, or the fallback outside Office).
import { useEffect, useState } from "react";
import type { HostServices, ThemeName } from "../services";

export function useHostTheme(host: HostServices): ThemeName {
  const [theme, setTheme] = useState<ThemeName>(() => host.theme());
  useEffect(() => host.onThemeChange(setTheme), [host]);
  return theme;
}
