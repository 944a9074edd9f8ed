// One criterion of a filter: field, method, values, its validation messages, and a warning when it
// can match nothing. Staff fields (partner, manager, associate) pick people by name; the stored
// staff ids never appear on screen.
import { Button, Dropdown, Field, Input, Option, Select, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import type { FilterMethod } from "../../../sync/filters";
import { useI18n } from "../../i18n/i18n-context";
import type { FilterFieldInfo, StaffMember } from "../../services";
import { filterFieldLabel, optionLabel } from "./filter-field-words";
import { METHOD_LABELS, STAFF_FIELD_NAMES, listText, methodsFor, parseListText, reshapeValues, valueSlots, type CriterionDraft } from "./filter-draft";

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
  warning: { color: tokens.colorPaletteMarigoldForeground2, fontSize: tokens.fontSizeBase200, width: "100%" },
  staff: { minWidth: "180px", maxWidth: "100%" },
});

export interface CriterionRowProps {
  index: number;
  criterion: CriterionDraft;
  fields: readonly FilterFieldInfo[];
  errors: readonly string[];
  staff: readonly StaffMember[];
  /** Why this criterion can never match, from the preview. */
  warning?: string | null;
  onChange(c: CriterionDraft): void;
  onRemove(): void;
}

export function CriterionRow({ index, criterion: c, fields, errors, staff, warning, onChange, onRemove }: CriterionRowProps) {
  const s = useStyles();
  const i18n = useI18n();
  const { t } = i18n;
  const n = index + 1;
  const field = fields.find((f) => f.name === c.field);
  const methods = methodsFor(field?.type, c.field);
  const isStaff = STAFF_FIELD_NAMES.has(c.field);
  const warningId = `criterion-${c.key}-warning`;
  const slots = valueSlots(c.method);
  const errorId = `criterion-${c.key}-errors`;
  const setValue = (i: number, v: string) => onChange({ ...c, values: c.values.map((x, j) => (j === i ? v : x)) });

  // People by name; a stored id that is no longer one of the staff shows as "Unknown person".
  const staffPicker = (multi: boolean) => {
    const chosen = c.values.filter((v) => v !== "");
    const nameOf = (id: string) => staff.find((p) => p.id === id)?.name ?? t("filters.unknownPerson");
    return (
      <Field label={t(multi ? "filters.people" : "filters.person")}>
        <Dropdown
          className={s.staff}
          multiselect={multi}
          placeholder={t(multi ? "filters.choosePeople" : "filters.choosePerson")}
          value={chosen.map(nameOf).join(", ")}
          selectedOptions={chosen}
          onOptionSelect={(_, d) => onChange({ ...c, values: d.selectedOptions.length ? [...d.selectedOptions] : [""] })}
          aria-describedby={[errors.length ? errorId : "", warning ? warningId : ""].filter(Boolean).join(" ") || undefined}
          data-testid="staff-picker"
        >
          {chosen
            .filter((id) => !staff.some((p) => p.id === id))
            .map((id) => (
              <Option key={id} value={id}>
                {t("filters.unknownPerson")}
              </Option>
            ))}
          {staff.map((p) => (
            <Option key={p.id} value={p.id}>
              {p.name}
            </Option>
          ))}
        </Dropdown>
      </Field>
    );
  };

  const valueInput = (i: number, label: string) =>
    field?.type === "enum" && field.options ? (
      <Field label={label} key={i}>
        <Select value={c.values[i] ?? ""} onChange={(_, d) => setValue(i, d.value)}>
          <option value="">{t("filters.choose")}</option>
          {field.options.map((o) => (
            <option key={o} value={o}>
              {optionLabel(c.field, o, i18n)}
            </option>
          ))}
        </Select>
      </Field>
    ) : (
      <Field label={label} key={i}>
        <Input
          value={c.values[i] ?? ""}
          placeholder={field?.type === "date" ? t("filters.datePlaceholder") : undefined}
          onChange={(_, d) => setValue(i, d.value)}
          aria-describedby={errors.length ? errorId : undefined}
        />
      </Field>
    );

  return (
    <div className={s.row} role="group" aria-label={t("filters.criterion", { n: String(n) })} data-testid="criterion-row">
      <Field label={t("filters.field")}>
        <Select
          value={c.field}
          onChange={(_, d) => {
            const next = fields.find((f) => f.name === d.value);
            const method = methodsFor(next?.type, d.value).includes(c.method) ? c.method : "equals";
            // Values do not carry over between a staff field and any other: an id is not a name.
            const keep = STAFF_FIELD_NAMES.has(d.value) === isStaff;
            onChange({ ...c, field: d.value, method, values: reshapeValues(method, keep ? c.values : []) });
          }}
        >
          {!field && <option value={c.field}>{c.field || t("filters.choose")}</option>}
          {fields.map((f) => (
            <option key={f.name} value={f.name}>
              {filterFieldLabel(f, i18n)}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t("filters.method")}>
        <Select
          value={c.method}
          onChange={(_, d) => {
            const method = d.value as FilterMethod;
            onChange({ ...c, method, values: reshapeValues(method, c.values) });
          }}
        >
          {methods.map((m) => (
            <option key={m} value={m}>
              {t(METHOD_LABELS[m])}
            </option>
          ))}
        </Select>
      </Field>
      {isStaff && (c.method === "equals" || c.method === "list") ? (
        staffPicker(c.method === "list")
      ) : c.method === "list" ? (
        <Field label={t("filters.valuesPerLine")}>
          <Textarea
            value={listText(c.values)}
            onChange={(_, d) => onChange({ ...c, values: parseListText(d.value) })}
            aria-describedby={errors.length ? errorId : undefined}
          />
        </Field>
      ) : slots === 2 ? (
        <>
          {valueInput(0, t("filters.from"))}
          {valueInput(1, t("filters.to"))}
        </>
      ) : slots === 1 ? (
        valueInput(0, t("filters.value"))
      ) : null}
      <Button appearance="subtle" onClick={onRemove} aria-label={t("filters.removeCriterion", { n: String(n) })}>
        {t("filters.remove")}
      </Button>
      {warning && errors.length === 0 && (
        <div id={warningId} className={s.warning} data-testid="criterion-warning">
          {warning}
        </div>
      )}
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
