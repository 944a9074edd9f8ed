// One pending change: checkbox, direction, name, fields old → new, reason and notes, and for a
// conflict the keep/delete choice. Contact text is rendered as React text nodes only.
import { memo } from "react";
import { Badge, Checkbox, Radio, RadioGroup, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { ConflictResolution, PlannedChange } from "../../../sync/plan-types";
import type { Terminology } from "../../terminology";
import { directionLabel, formatValue } from "./pending-rows";

const useStyles = makeStyles({
  row: {
    display: "flex",
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  body: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS, minWidth: 0, flexGrow: 1 },
  head: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
  name: { overflowWrap: "anywhere" },
  fields: { margin: 0, paddingLeft: tokens.spacingHorizontalL, listStyleType: "none" },
  field: { overflowWrap: "anywhere", fontSize: tokens.fontSizeBase200 },
  old: { color: tokens.colorNeutralForeground3, textDecorationLine: "line-through" },
  muted: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  note: { color: tokens.colorPaletteMarigoldForeground2, fontSize: tokens.fontSizeBase200 },
});

export interface ChangeRowProps {
  change: PlannedChange;
  selected: boolean;
  resolution: ConflictResolution;
  terms: Terminology;
  onToggle(id: string): void;
  onResolve(id: string, r: ConflictResolution): void;
}

export const ChangeRow = memo(function ChangeRow({ change, selected, resolution, terms, onToggle, onResolve }: ChangeRowProps) {
  const s = useStyles();
  const name = change.name || "(no name)";
  return (
    <div className={s.row} data-testid="pending-row" data-change-id={change.id} data-group={change.group}>
      <Checkbox checked={selected} onChange={() => onToggle(change.id)} aria-label={`Select ${name}`} />
      <div className={s.body}>
        <div className={s.head}>
          <Badge appearance="tint" color={change.group === "conflict" ? "danger" : "brand"}>
            {directionLabel(change.direction, terms)}
          </Badge>
          <Text weight="semibold" className={s.name}>
            {name}
          </Text>
        </div>
        {change.fields.length > 0 && (
          <ul className={s.fields} aria-label={`Fields of ${name}`}>
            {change.fields.map((f, i) => (
              <li key={`${f.field}:${f.target}:${i}`} className={s.field}>
                {f.label}: <span className={s.old}>{formatValue(f.old)}</span> → <span>{formatValue(f.new)}</span>
              </li>
            ))}
          </ul>
        )}
        <Text className={s.muted}>{change.reason}</Text>
        {change.notes.map((n, i) => (
          <Text key={i} className={s.note}>
            {n}
          </Text>
        ))}
        {change.group === "conflict" && (
          <RadioGroup
            layout="horizontal"
            value={resolution}
            aria-label={`Resolution for ${name}`}
            onChange={(_, d) => onResolve(change.id, d.value as ConflictResolution)}
          >
            <Radio value="keep" label="Keep and re-link" />
            <Radio value="delete" label="Delete" />
          </RadioGroup>
        )}
      </div>
    </div>
  );
});
