// One criterion of a filter: field, method, values, and its validation messages.
import { Button, Field, Input, Select, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import type { FilterMethod } from "../../../sync/filters";
import type { FilterFieldInfo } from "../../services";
import { METHOD_LABELS, listText, methodsFor, parseListText, reshapeValues, valueSlots, type CriterionDraft } from "./filter-draft";

const useStyles = makeStyles({
  row: {
    display: "flex",
    gap: tokens.spacingHorizontalS,
    alignItems: "flex-end",
    flexWrap: "wrap",
    padding: tokens.spacingVerticalS,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  error: { color: tokens.colorPaletteRedForeground1, fontSize: tokens.fontSizeBase200, width: "100%" },
});

export interface CriterionRowProps {
  index: number;
  criterion: CriterionDraft;
  fields: readonly FilterFieldInfo[];
  errors: readonly string[];
  onChange(c: CriterionDraft): void;
  onRemove(): void;
}

export function CriterionRow({ index, criterion: c, fields, errors, onChange, onRemove }: CriterionRowProps) {
  const s = useStyles();
  const n = index + 1;
  const field = fields.find((f) => f.name === c.field);
  const methods = methodsFor(field?.type);
  const slots = valueSlots(c.method);
  const errorId = `criterion-${c.key}-errors`;
  const setValue = (i: number, v: string) => onChange({ ...c, values: c.values.map((x, j) => (j === i ? v : x)) });

  const valueInput = (i: number, label: string) =>
    field?.type === "enum" && field.options ? (
      <Field label={label} key={i}>
        <Select value={c.values[i] ?? ""} onChange={(_, d) => setValue(i, d.value)}>
          <option value="">(choose)</option>
          {field.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </Select>
      </Field>
    ) : (
      <Field label={label} key={i}>
        <Input
          value={c.values[i] ?? ""}
          placeholder={field?.type === "date" ? "YYYY-MM-DD" : undefined}
          onChange={(_, d) => setValue(i, d.value)}
          aria-describedby={errors.length ? errorId : undefined}
        />
      </Field>
    );

  return (
    <div className={s.row} role="group" aria-label={`Criterion ${n}`} data-testid="criterion-row">
      <Field label="Field">
        <Select
          value={c.field}
          onChange={(_, d) => {
            const next = fields.find((f) => f.name === d.value);
            const method = methodsFor(next?.type).includes(c.method) ? c.method : "equals";
            onChange({ ...c, field: d.value, method, values: reshapeValues(method, c.values) });
          }}
        >
          {!field && <option value={c.field}>{c.field || "(choose)"}</option>}
          {fields.map((f) => (
            <option key={f.name} value={f.name}>
              {f.label}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Method">
        <Select
          value={c.method}
          onChange={(_, d) => {
            const method = d.value as FilterMethod;
            onChange({ ...c, method, values: reshapeValues(method, c.values) });
          }}
        >
          {methods.map((m) => (
            <option key={m} value={m}>
              {METHOD_LABELS[m]}
            </option>
          ))}
        </Select>
      </Field>
      {c.method === "list" ? (
        <Field label="Values (one per line)">
          <Textarea
            value={listText(c.values)}
            onChange={(_, d) => onChange({ ...c, values: parseListText(d.value) })}
            aria-describedby={errors.length ? errorId : undefined}
          />
        </Field>
      ) : slots === 2 ? (
        <>
          {valueInput(0, "From")}
          {valueInput(1, "To")}
        </>
      ) : slots === 1 ? (
        valueInput(0, "Value")
      ) : null}
      <Button appearance="subtle" onClick={onRemove} aria-label={`Remove criterion ${n}`}>
        Remove
      </Button>
      {errors.length > 0 && (
        <div id={errorId} className={s.error} role="alert" data-testid="criterion-error">
          {errors.map((e, i) => (
            <div key={i}>{e}</div>
          ))}
        </div>
      )}
    </div>
  );
}
