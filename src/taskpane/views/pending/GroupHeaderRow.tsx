// The header of one group of the pending list, with the checkbox that (de)selects the whole group.
import { memo } from "react";
import { Checkbox, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { GroupSelection } from "./usePendingSelection";
import { useI18n } from "../../i18n/i18n-context";
import { groupTitle, selectAllLabel, type PendingGroup } from "./pending-rows";

const useStyles = makeStyles({
  header: {
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    backgroundColor: tokens.colorNeutralBackground3,
  },
});

export interface GroupHeaderRowProps {
  group: PendingGroup;
  count: number;
  state: GroupSelection;
  onSet(group: PendingGroup, on: boolean): void;
}

export const GroupHeaderRow = memo(function GroupHeaderRow({ group, count, state, onSet }: GroupHeaderRowProps) {
  const s = useStyles();
  const i18n = useI18n();
  return (
    <div className={s.header} data-testid={`pending-group-${group}`}>
      <Checkbox
        checked={state}
        onChange={() => onSet(group, state !== true)}
        aria-label={selectAllLabel(group, i18n)}
      />
      <Text weight="semibold" role="heading" aria-level={3}>
        {groupTitle(group, count, i18n)}
      </Text>
    </div>
  );
});
