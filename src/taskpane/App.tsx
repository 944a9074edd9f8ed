// The pane: header, tabs and the current view. Status is in the first bundle; the heavier views
// are split out with React.lazy so the first load stays small.
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import {
  Button,
  FluentProvider,
  Spinner,
  Tab,
  TabList,
  Text,
  makeStyles,
  tokens,
  webDarkTheme,
  webLightTheme,
} from "@fluentui/react-components";
import { useAutoSync } from "./hooks/useAutoSync";
import { useHostTheme } from "./hooks/useHostTheme";
import { useSyncController } from "./hooks/useSyncController";
import { useTerminology } from "./hooks/useTerminology";
import type { PaneServices } from "./services";
import { ServicesProvider, useServices } from "./services-context";
import { messageOf } from "./safety-stop";
import { DEFAULT_SETTINGS, isConfigured, type PaneSettings } from "./settings";
import { TermsProvider } from "./terminology-context";
import { StatusView } from "./views/status/StatusView";

const SetupView = lazy(() => import("./views/setup/SetupView").then((m) => ({ default: m.SetupView })));
const FilterEditorView = lazy(() => import("./views/filters/FilterEditorView").then((m) => ({ default: m.FilterEditorView })));
const PendingChangesView = lazy(() =>
  import("./views/pending/PendingChangesView").then((m) => ({ default: m.PendingChangesView })),
);

export type PaneTab = "status" | "pending" | "setup" | "filters";

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalM,
    minHeight: "100vh",
    boxSizing: "border-box",
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
  },
  header: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  title: { flexGrow: 1 },
});

/** Everything the pane renders, given its services: providers, theme, and the App. */
export function PaneRoot({ services }: { services: PaneServices }) {
  const theme = useHostTheme(services.host);
  return (
    <FluentProvider theme={theme === "dark" ? webDarkTheme : webLightTheme} data-theme={theme}>
      <ServicesProvider services={services}>
        <App />
      </ServicesProvider>
    </FluentProvider>
  );
}

export function App() {
  const s = useStyles();
  const services = useServices();
  const [settings, setSettings] = useState<PaneSettings | null>(() => services.settings.load());
  const [tab, setTab] = useState<PaneTab>(() => (isConfigured(settings) ? "status" : "setup"));
  const [account, setAccount] = useState<string | null>(() => services.auth.accountName());
  const [signInError, setSignInError] = useState<string | null>(null);
  const [syncRequest, setSyncRequest] = useState(0);
  // Setup's unsaved choices while the user is away in the filter editor.
  const [setupDraft, setSetupDraft] = useState<PaneSettings | null>(null);
  const terms = useTerminology(services.practice, settings?.useDefaultTerminology ?? false);

  const session = useMemo(() => (isConfigured(settings) ? services.createSession(settings) : null), [services, settings]);
  const controller = useSyncController(session, { confirmBeforeCommit: settings?.confirmBeforeCommit ?? true });
  const { syncNow } = controller;
  const autoRun = useCallback(() => syncNow({ auto: true }), [syncNow]);
  const auto = useAutoSync(!!session && !!settings?.autoSync, autoRun);

  // Silent sign-in can happen during a sync; show the account as soon as there is one.
  const { runCount } = controller;
  useEffect(() => {
    setAccount(services.auth.accountName());
  }, [services, runCount]);

  // "OK saves and syncs": run once the session for the saved settings exists.
  useEffect(() => {
    if (syncRequest > 0 && session) void syncNow();
  }, [syncRequest, session, syncNow]);

  // A plan waiting for review takes the user to it from Status (an automatic run never pulls them
  // out of Setup or the filter editor: the "Pending" tab appears instead); finishing it brings
  // them back to Status.
  const pendingId = controller.pending?.runId ?? null;
  useEffect(() => {
    if (pendingId) setTab((t) => (t === "status" ? "pending" : t));
    else setTab((t) => (t === "pending" ? "status" : t));
  }, [pendingId]);

  const save = useCallback(
    async (next: PaneSettings) => {
      await services.settings.save(next);
      setSettings(next);
      setSetupDraft(null);
      setTab("status");
      setSyncRequest((n) => n + 1);
    },
    [services],
  );

  const signIn = async () => {
    setSignInError(null);
    try {
      await services.auth.signIn();
      setAccount(services.auth.accountName());
    } catch (err) {
      setSignInError(messageOf(err));
    }
  };

  return (
    <TermsProvider terms={terms}>
      <div className={s.root}>
        <header className={s.header}>
          <Text as="h1" size={600} weight="semibold" className={s.title}>
            Practice Contact Sync
          </Text>
          {account ? (
            <Text size={200} data-testid="account-name">
              {account}
            </Text>
          ) : (
            <Button size="small" onClick={() => void signIn()} data-testid="sign-in">
              Sign in
            </Button>
          )}
        </header>
        {signInError && <Text role="alert">Sign-in failed: {signInError}</Text>}
        <TabList selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as PaneTab)} aria-label="Views">
          <Tab value="status">Status</Tab>
          {controller.pending && <Tab value="pending">{`Pending (${controller.pending.changes.length})`}</Tab>}
          <Tab value="setup">Setup</Tab>
          <Tab value="filters">Filters</Tab>
        </TabList>
        <main>
          <Suspense fallback={<Spinner size="small" label="Loading…" />}>
            {tab === "status" && (
              <StatusView
                controller={controller}
                session={session}
                folderPath={settings?.folder?.path ?? null}
                autoSync={{ enabled: !!settings?.autoSync, error: auto.error }}
                onOpenSetup={() => setTab("setup")}
                onOpenPending={() => setTab("pending")}
              />
            )}
            {tab === "pending" && controller.pending && (
              <PendingChangesView
                key={controller.pending.runId}
                plan={controller.pending}
                applying={controller.busy === "applying"}
                safetyStop={controller.safetyStop}
                error={controller.error}
                onApply={(req) => void controller.apply(req)}
                onCancel={controller.dismiss}
              />
            )}
            {tab === "setup" && (
              <SetupView
                settings={setupDraft ?? settings ?? DEFAULT_SETTINGS}
                onSave={save}
                onCancel={() => {
                  setSetupDraft(null);
                  setTab("status");
                }}
                onManageFilters={(draft) => {
                  setSetupDraft(draft);
                  setTab("filters");
                }}
              />
            )}
            {tab === "filters" && (
              <FilterEditorView onDone={() => setTab(setupDraft || !isConfigured(settings) ? "setup" : "status")} />
            )}
          </Suspense>
        </main>
      </div>
    </TermsProvider>
  );
}
