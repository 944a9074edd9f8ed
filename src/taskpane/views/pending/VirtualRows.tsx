// A virtualized vertical list (10,000 pending rows stay smooth): only the rows in view, plus a
// small overscan, are in the DOM. Rows have variable heights and are measured as they render.
import { useRef, type CSSProperties, type ReactNode } from "react";
import { useArrowNavigationGroup } from "@fluentui/react-components";
import {
  measureElement as measureRendered,
  observeElementRect,
  useVirtualizer,
  type Virtualizer,
} from "@tanstack/react-virtual";

/** Height used before layout (or where there is none, as in a hidden pane). */
const FALLBACK_VIEWPORT = 600;

export interface VirtualRowsProps<T> {
  items: readonly T[];
  getKey(item: T, index: number): string;
  estimateSize(item: T): number;
  renderRow(item: T, index: number): ReactNode;
  label: string;
  className?: string;
  /** Sizing of the scrolling box (it needs a definite height). */
  style?: CSSProperties;
  /**
   * The box is as tall as its rows as measured (a conflict's choices that wrap, an open row's
   * details), up to this CSS height, then scrolls. Without it, style must give the height.
   */
  maxHeight?: string;
  testId?: string;
}

export function VirtualRows<T>({ items, getKey, estimateSize, renderRow, label, className, style, maxHeight, testId }: VirtualRowsProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // One tab stop for the whole list, arrow keys between its controls: with thousands of rows Tab
  // would otherwise have to pass every row (each rendered as focus reaches it) to get to the buttons
  // after the list. The row last used is remembered when tabbing back in.
  const arrowNav = useArrowNavigationGroup({ axis: "vertical", memorizeCurrent: true });
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    getItemKey: (i) => getKey(items[i], i),
    estimateSize: (i) => estimateSize(items[i]),
    overscan: 6,
    // Before layout the viewport measures 0 and nothing would render; assume a pane-sized one.
    observeElementRect: (instance: Virtualizer<HTMLDivElement, Element>, cb) =>
      observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : { width: rect.width, height: FALLBACK_VIEWPORT })),
    // A row measured at 0 has not been laid out yet: keep its estimate rather than collapsing it.
    measureElement: (el, entry, instance) => {
      const h = measureRendered(el, entry, instance);
      if (h > 0) return h;
      const i = Number(el.getAttribute("data-index"));
      return Number.isInteger(i) && items[i] !== undefined ? estimateSize(items[i]) : 40;
    },
  });

  return (
    <div
      ref={scrollRef}
      className={className}
      // +2: the box's border, so rows that fit do not scroll by a pixel.
      style={{ overflowY: "auto", contain: "strict", ...(maxHeight ? { height: `min(${maxHeight}, ${virtualizer.getTotalSize() + 2}px)` } : {}), ...style }}
      role="list"
      aria-label={label}
      data-testid={testId}
      {...arrowNav}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: "relative", width: "100%" }}>
        {virtualizer.getVirtualItems().map((v) => (
          <div
            key={v.key}
            role="listitem"
            data-index={v.index}
            ref={virtualizer.measureElement}
            style={{ position: "absolute", top: 0, left: 0, width: "100%", transform: `translateY(${v.start}px)` }}
          >
            {renderRow(items[v.index], v.index)}
          </div>
        ))}
      </div>
    </div>
  );
}
