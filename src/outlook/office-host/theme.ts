// Outlook has no isDarkTheme; the theme is derived from the body background colour's luminance
// (research: addin-conventions §5). Outside Office the browser's prefers-color-scheme decides.
import type { ThemeName } from "./types";

/** Parses #rgb / #rrggbb (what Office reports); null for anything else. */
export function parseHexColor(color: string | null | undefined): [number, number, number] | null {
  if (!color) return null;
  const hex = color.trim().replace(/^#/, "");
  const full = /^[0-9a-f]{3}$/i.test(hex) ? hex.replace(/./g, (c) => c + c) : hex;
  if (!/^[0-9a-f]{6}$/i.test(full)) return null;
  return [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
}

/** WCAG relative luminance, 0 (black) … 1 (white). */
export function relativeLuminance([r, g, b]: [number, number, number]): number {
  const channel = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** Dark when the background is darker than mid-grey; null when the colour is unknown. */
export function themeFromBackground(color: string | null | undefined): ThemeName | null {
  const rgb = parseHexColor(color);
  if (!rgb) return null;
  return relativeLuminance(rgb) < 0.2 ? "dark" : "light";
}
