// "Synchronize with Outlook folder": one tree per mailbox (own first, then shared ones), single
// selection (a click anywhere on a folder's row chooses it, not only its radio), then "New folder…"
// right under the trees, and "Add shared mailbox…".
import { useState } from "react";
import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Spinner,
  Text,
  Tree,
  TreeItem,
  TreeItemLayout,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useI18n } from "../../i18n/i18n-context";
import type { OutlookFolder } from "../../services";
import type { FolderRef } from "../../settings";
import { folderPath, type FoldersState } from "./useFolders";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "flex-end", flexWrap: "wrap" },
  mailbox: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3 },
});

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface FolderPickerProps {
  folders: FoldersState;
  value: FolderRef | null;
  onChange(folder: FolderRef): void;
  onAddSharedMailbox(address: string): void;
}

export function FolderPicker({ folders, value, onChange, onAddSharedMailbox }: FolderPickerProps) {
  const s = useStyles();
  const { t } = useI18n();
  const [adding, setAdding] = useState(false);
  const [address, setAddress] = useState("");
  const [addressError, setAddressError] = useState<string | null>(null);
  const [newName, setNewName] = useState("");
  const [creating, setCreating] = useState(false);

  const addMailbox = () => {
    const a = address.trim();
    if (!EMAIL.test(a)) {
      setAddressError(t("folders.invalidAddress"));
      return;
    }
    onAddSharedMailbox(a.toLowerCase());
    setAddress("");
    setAddressError(null);
    setAdding(false);
  };

  const createFolder = async () => {
    const name = newName.trim();
    if (!name) return;
    const mailbox = value?.mailbox ?? null;
    const created = await folders.createFolder(mailbox, value?.folderId ?? null, name);
    if (created) {
      setNewName("");
      setCreating(false);
      const tree = folders.mailboxes.find((m) => m.mailbox === mailbox)?.folders ?? [];
      const parent = value ? folderPath(tree, value.folderId) : null;
      onChange({ mailbox, folderId: created.id, path: parent ? `${parent} / ${created.displayName}` : created.displayName });
    }
  };

  const choose = (mailbox: string | null, tree: readonly OutlookFolder[], id: string) => {
    if (value && value.mailbox === mailbox && value.folderId === id) return;
    onChange({ mailbox, folderId: id, path: folderPath(tree, id) ?? id });
  };

  return (
    <div className={s.root} role="group" aria-labelledby="folder-label">
      <Text weight="semibold" id="folder-label">
        {t("folders.heading")}
      </Text>
      {folders.mailboxes.map((m) => (
        <div key={m.mailbox ?? ""}>
          <Text className={s.mailbox}>{m.mailbox ?? t("folders.myMailbox")}</Text>
          {m.error ? (
            <MessageBar intent="error">
              <MessageBarBody>{m.error}</MessageBarBody>
              <MessageBarActions>
                <Button size="small" onClick={() => folders.reload(m.mailbox)}>
                  {t("common.tryAgain")}
                </Button>
              </MessageBarActions>
            </MessageBar>
          ) : m.folders === null ? (
            <Spinner size="tiny" label={t("folders.loading")} />
          ) : m.folders.length === 0 ? (
            <Text className={s.mailbox}>{t("folders.none")}</Text>
          ) : (
            <Tree
              aria-label={m.mailbox ? t("folders.treeLabel", { mailbox: m.mailbox }) : t("folders.treeLabelMine")}
              selectionMode="single"
              checkedItems={value && value.mailbox === m.mailbox ? [value.folderId] : []}
              defaultOpenItems={allIds(m.folders)}
              onCheckedChange={(_, d) => choose(m.mailbox, m.folders ?? [], String(d.value))}
            >
              {m.folders.map((f) => (
                <FolderItem key={f.id} folder={f} onChoose={(id) => choose(m.mailbox, m.folders ?? [], id)} />
              ))}
            </Tree>
          )}
        </div>
      ))}
      {creating ? (
        <div className={s.row}>
          <Field label={value ? t("folders.newUnder", { path: value.path }) : t("folders.newTop")}>
            <Input value={newName} onChange={(_, d) => setNewName(d.value)} maxLength={255} onKeyDown={(e) => e.key === "Enter" && void createFolder()} />
          </Field>
          <Button onClick={() => void createFolder()} disabled={!newName.trim()}>
            {t("folders.create")}
          </Button>
          <Button appearance="subtle" onClick={() => setCreating(false)}>
            {t("common.cancel")}
          </Button>
        </div>
      ) : (
        <div>
          <Button appearance="subtle" onClick={() => setCreating(true)} data-testid="new-folder">
            {t("folders.new")}
          </Button>
        </div>
      )}
      {adding ? (
        <div className={s.row}>
          <Field label={t("folders.sharedAddress")} validationMessage={addressError ?? undefined}>
            <Input
              type="email"
              value={address}
              onChange={(_, d) => setAddress(d.value)}
              onKeyDown={(e) => e.key === "Enter" && addMailbox()}
            />
          </Field>
          <Button onClick={addMailbox}>{t("folders.add")}</Button>
          <Button appearance="subtle" onClick={() => setAdding(false)}>
            {t("common.cancel")}
          </Button>
        </div>
      ) : (
        <div>
          <Button appearance="subtle" onClick={() => setAdding(true)}>
            {t("folders.addShared")}
          </Button>
        </div>
      )}
      {folders.createError && (
        <MessageBar intent="error">
          <MessageBarBody>{folders.createError}</MessageBarBody>
        </MessageBar>
      )}
    </div>
  );
}

function FolderItem({ folder, onChoose }: { folder: OutlookFolder; onChoose(id: string): void }) {
  const leaf = folder.children.length === 0;
  return (
    <TreeItem itemType={leaf ? "leaf" : "branch"} value={folder.id}>
      {/* The whole row chooses the folder; the radio and Space keep working as before. */}
      <TreeItemLayout onClick={() => onChoose(folder.id)} data-testid="folder-row">
        {folder.displayName}
      </TreeItemLayout>
      {!leaf && (
        <Tree>
          {folder.children.map((c) => (
            <FolderItem key={c.id} folder={c} onChoose={onChoose} />
          ))}
        </Tree>
      )}
    </TreeItem>
  );
}

function allIds(folders: readonly OutlookFolder[] | null): string[] {
  const out: string[] = [];
  const walk = (fs: readonly OutlookFolder[]) => fs.forEach((f) => (out.push(f.id), walk(f.children)));
  walk(folders ?? []);
  return out;
}
