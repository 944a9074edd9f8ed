// One pending change on one line — checkbox, name, what happens — that expands to its fields,
// reason and notes. A conflict also shows its keep/delete choice. Contact text is rendered as
// React text nodes only.
import { memo } from "react";
import { Button, Checkbox, Radio, RadioGroup, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { ConflictResolution, PlannedChange } from "../../../sync/plan-types";
import { useI18n } from "../../i18n/i18n-context";
import { actionText, fieldLines } from "./pending-rows";

const useStyles = makeStyles({
  row: {
    display: "flex",
    gap: tokens.spacingHorizontalXS,
    alignItems: "flex-start",
    padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalXS}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  body: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS, minWidth: 0, flexGrow: 1, paddingTop: "6px" },
  line: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "baseline", flexWrap: "wrap", minWidth: 0 },
  name: { overflowWrap: "anywhere" },
  hint: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, overflowWrap: "anywhere" },
  action: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  conflict: { color: tokens.colorPaletteRedForeground1, fontSize: tokens.fontSizeBase200, fontWeight: tokens.fontWeightSemibold },
  fields: { margin: 0, paddingLeft: tokens.spacingHorizontalM, listStyleType: "none" },
  field: { overflowWrap: "anywhere", fontSize: tokens.fontSizeBase200 },
  old: { textDecorationLine: "line-through" },
  target: { color: tokens.colorNeutralForeground2 },
  reason: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  note: { color: tokens.colorPaletteMarigoldForeground2, fontSize: tokens.fontSizeBase200 },
  toggle: { minWidth: "auto", flexShrink: 0 },
  // A long translation of the two choices ("Conservar y volver a vincular") wraps at 320 px.
  // Fluent greys an unchecked radio's label (it reads as disabled); both choices are live.
  choices: { flexWrap: "wrap", "& .fui-Radio__input:enabled:not(:checked) ~ .fui-Radio__label": { color: tokens.colorNeutralForeground1 } },
});

export interface ChangeRowProps {
  change: PlannedChange;
  /** A second detail when another row has the same name (an email or company). */
  hint: string | null;
  selected: boolean;
  expanded: boolean;
  resolution: ConflictResolution;
  onToggle(id: string): void;
  onExpand(id: string): void;
  onResolve(id: string, r: ConflictResolution): void;
}

export const ChangeRow = memo(function ChangeRow({ change, hint, selected, expanded, resolution, onToggle, onExpand, onResolve }: ChangeRowProps) {
  const s = useStyles();
  const i18n = useI18n();
  const { t } = i18n;
  const name = change.name || t("common.noName");
  const detailsId = `details-${change.id}`;
  const conflict = change.group === "conflict";
  return (
    <div className={s.row} data-testid="pending-row" data-change-id={change.id} data-group={change.group}>
      {/* The list moves between rows with Up/Down; Right shows a row's details and Left hides them,
          so the Details button (for the mouse) is not one more arrow stop per row. */}
      <Checkbox
        checked={selected}
        onChange={() => onToggle(change.id)}
        aria-label={t("pending.select", { name })}
        aria-keyshortcuts="ArrowRight ArrowLeft"
        onKeyDown={(e) => {
          if ((e.key === "ArrowRight" && !expanded) || (e.key === "ArrowLeft" && expanded)) {
            e.preventDefault();
            onExpand(change.id);
          }
        }}
      />
      <div className={s.body}>
        <div className={s.line}>
          <Text weight="semibold" className={s.name}>
            {name}
          </Text>
          {hint && <Text className={s.hint}>{hint}</Text>}
          <Text className={conflict ? s.conflict : s.action} data-testid="row-action">
            {actionText(change, i18n)}
          </Text>
        </div>
        {conflict && (
          <RadioGroup
            className={s.choices}
            layout="horizontal"
            value={resolution}
            aria-label={t("pending.resolutionFor", { name })}
            onChange={(_, d) => onResolve(change.id, d.value as ConflictResolution)}
          >
            <Radio value="keep" label={t("pending.keep")} />
            <Radio value="delete" label={t("common.delete")} />
          </RadioGroup>
        )}
        {expanded && (
          <div id={detailsId} data-testid="row-details">
            {change.fields.length > 0 && (
              <ul className={s.fields} aria-label={t("pending.fieldsOf", { name })}>
                {fieldLines(change, i18n).map((f) => (
                  <li key={f.key} className={s.field}>
                    {f.label}:{" "}
                    {f.value !== null ? (
                      <span>{f.value}</span>
                    ) : (
                      <>
                        <span className={s.old}>{f.old}</span> → <span>{f.new}</span>
                      </>
                    )}
                    {f.target && <span className={s.target}> ({f.target})</span>}
                  </li>
                ))}
              </ul>
            )}
            <Text as="p" className={s.reason} block>
              {i18n.localTimes(change.reason)}
            </Text>
          </div>
        )}
        {change.notes.map((n, i) => (
          <Text key={i} className={s.note}>
            {i18n.localTimes(n)}
          </Text>
        ))}
      </div>
      <Button
        appearance="subtle"
        size="small"
        className={s.toggle}
        aria-expanded={expanded}
        aria-controls={expanded ? detailsId : undefined}
        aria-label={t(expanded ? "pending.hideOf" : "pending.detailsOf", { name })}
        onClick={() => onExpand(change.id)}
        tabIndex={-1}
        data-testid="row-expand"
      >
        {t(expanded ? "common.hide" : "common.details")}
      </Button>
    </div>
  );
});
