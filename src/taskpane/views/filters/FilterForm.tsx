// The filter being added or edited: name, match mode, criteria rows, and a live count of the
// contacts it matches.
import { Button, Field, Input, MessageBar, MessageBarBody, Radio, RadioGroup, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useI18n } from "../../i18n/i18n-context";
import type { Translator } from "../../i18n/translator";
import type { FilterFieldInfo, StaffMember } from "../../services";
import { CriterionRow } from "./CriterionRow";
import { emptyCriterion, type DraftErrors, type FilterDraft } from "./filter-draft";
import type { DraftPreview } from "./filter-preview";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  row: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap", alignItems: "center" },
  error: { color: tokens.colorPaletteRedForeground1 },
  label: { color: tokens.colorNeutralForeground1 },
  // Fluent greys an unchecked radio's label with a selector stronger than one class.
  radios: { "& .fui-Radio__input:enabled:not(:checked) ~ .fui-Radio__label": { color: tokens.colorNeutralForeground1 } },
  footer: {
    position: "sticky",
    bottom: 0,
    display: "flex",
    gap: tokens.spacingHorizontalS,
    alignItems: "center",
    flexWrap: "wrap",
    padding: `${tokens.spacingVerticalS} 0`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    zIndex: 1,
  },
});

export interface FilterFormProps {
  draft: FilterDraft;
  fields: readonly FilterFieldInfo[];
  errors: DraftErrors;
  apiError: string | null;
  busy: boolean;
  staff: readonly StaffMember[];
  preview: DraftPreview | null;
  previewError: string | null;
  onChange(d: FilterDraft): void;
  onSave(): void;
  onCancel(): void;
}

export function FilterForm({ draft, fields, errors, apiError, busy, staff, preview, previewError, onChange, onSave, onCancel }: FilterFormProps) {
  const s = useStyles();
  const i18n = useI18n();
  const { t } = i18n;
  const join = (m: readonly string[]) => (m.length ? m.join(" ") : undefined);
  return (
    <form
      className={s.root}
      aria-label={t(draft.id ? "filters.formEdit" : "filters.formNew")}
      data-testid="filter-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSave();
      }}
    >
      <Field
        label={t("filters.name")}
        hint={t("filters.nameHint")}
        validationMessage={join(errors.name)}
      >
        <Input value={draft.name} onChange={(_, d) => onChange({ ...draft, name: d.value })} maxLength={200} />
      </Field>
      <Field label={t("filters.combine")} validationMessage={join(errors.match)}>
        <RadioGroup className={s.radios} value={draft.match} onChange={(_, d) => onChange({ ...draft, match: d.value === "any" ? "any" : "all" })}>
          <Radio value="all" label={{ children: t("filters.matchAll"), className: s.label }} />
          <Radio value="any" label={{ children: t("filters.matchAny"), className: s.label }} />
        </RadioGroup>
      </Field>
      <Text weight="semibold">{t("filters.criteria")}</Text>
      {errors.criteria.length > 0 && (
        <Text className={s.error} role="alert">
          {errors.criteria.join(" ")}
        </Text>
      )}
      {draft.criteria.map((c, i) => (
        <CriterionRow
          key={c.key}
          index={i}
          criterion={c}
          fields={fields}
          errors={errors.rows.get(i) ?? []}
          staff={staff}
          warning={preview?.warnings.get(i) ?? null}
          onChange={(next) => onChange({ ...draft, criteria: draft.criteria.map((x, j) => (j === i ? next : x)) })}
          onRemove={() => onChange({ ...draft, criteria: draft.criteria.filter((_, j) => j !== i) })}
        />
      ))}
      <div>
        <Button onClick={() => onChange({ ...draft, criteria: [...draft.criteria, emptyCriterion(fields)] })}>{t("filters.addCriterion")}</Button>
      </div>
      {(apiError || errors.other.length > 0) && (
        <MessageBar intent="error" data-testid="filter-api-error">
          <MessageBarBody>{[apiError, ...errors.other].filter(Boolean).join(" ")}</MessageBarBody>
        </MessageBar>
      )}
      <div className={s.footer}>
        <Button appearance="primary" type="submit" disabled={busy} data-testid="filter-save">
          {t("filters.save")}
        </Button>
        <Button onClick={onCancel} disabled={busy}>
          {t("common.cancel")}
        </Button>
        <Text aria-live="polite" data-testid="filter-match-count">
          {matchText(preview, previewError, i18n)}
        </Text>
      </div>
    </form>
  );
}

function matchText(preview: DraftPreview | null, error: string | null, { t }: Translator): string {
  if (error) return error;
  if (!preview) return t("filters.counting");
  if (preview.matches === null) return t("filters.incomplete");
  return t("filters.matches", { count: preview.matches });
}
