// The pane: tabs (with the account beside them) and the current view. Outlook already titles the
// pane, so there is no title of our own. Status is in the first bundle; the heavier views
// are split out with React.lazy so the first load stays small.
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  Button,
  CounterBadge,
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
import { I18nProvider, useI18n, useLoadedLocale } from "./i18n/i18n-context";
import { catalogueLocaleFor, displayLanguage, formatLocaleFor } from "./i18n/locales";
import { createTranslator } from "./i18n/translator";
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
    gap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    minHeight: "100vh",
    boxSizing: "border-box",
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    // No overflow here: it would make this box the scroller and unstick the views' sticky footers.
  },
  account: { display: "flex", alignItems: "center", justifyContent: "flex-end", gap: tokens.spacingHorizontalS, color: tokens.colorNeutralForeground2 },
  // At 320 px four small tabs with a count fit; if a long translation does not, they wrap
  // rather than scroll the pane sideways.
  tabs: { flexWrap: "wrap", rowGap: 0 },
  tabCount: { marginLeft: tokens.spacingHorizontalXXS },
});

/**
 * Moves focus to a view's heading once it is in the document (views load lazily), so after OK or
 * Apply a keyboard or screen-reader user lands on the new view instead of <body>.
 */
function useFocusHeading(): (id: string) => void {
  const [target, setTarget] = useState<{ id: string; n: number } | null>(null);
  useEffect(() => {
    if (!target) return;
    let frames = 0;
    let handle = 0;
    const tryFocus = () => {
      const el = document.getElementById(target.id);
      if (el) el.focus();
      else if (frames++ < 120) handle = requestAnimationFrame(tryFocus);
    };
    tryFocus();
    return () => cancelAnimationFrame(handle);
  }, [target]);
  return useCallback((id: string) => setTarget((t) => ({ id, n: (t?.n ?? 0) + 1 })), []);
}

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
  const services = useServices();
  const [settings, setSettings] = useState<PaneSettings | null>(() => services.settings.load());
  const [tab, setTab] = useState<PaneTab>(() => (isConfigured(settings) ? "status" : "setup"));
  // Bumped after an interactive sign-in; with runCount it tells when to read the account again.
  const [signIns, setSignIns] = useState(0);
  const [signInError, setSignInError] = useState<string | null>(null);
  const [syncRequest, setSyncRequest] = useState(0);
  // Setup's unsaved choices while the user is away in the filter editor.
  const [setupDraft, setSetupDraft] = useState<PaneSettings | null>(null);
  const terms = useTerminology(services.practice, settings?.useDefaultTerminology ?? false);
  // Office's display language inside Outlook, the browser's in local mode (src/taskpane/i18n/locales.ts).
  const language = services.host.displayLanguage ?? displayLanguage(false);
  const locale = useLoadedLocale(catalogueLocaleFor(language));
  const translator = useMemo(
    () => createTranslator({ locale, formatLocale: formatLocaleFor(language, locale), terms }),
    [language, locale, terms],
  );
  useEffect(() => {
    document.documentElement.lang = translator.formatLocale ?? translator.locale;
  }, [translator]);

  const session = useMemo(() => (isConfigured(settings) ? services.createSession(settings) : null), [services, settings]);
  const controller = useSyncController(session, { confirmBeforeCommit: settings?.confirmBeforeCommit ?? true });
  const { syncNow } = controller;
  const autoRun = useCallback(() => syncNow({ auto: true }), [syncNow]);
  const auto = useAutoSync(!!session && !!settings?.autoSync, autoRun);
  const focusHeading = useFocusHeading();

  // Silent sign-in can happen during a sync; show the account as soon as there is one.
  const { runCount } = controller;
  const account = useMemo(() => (runCount + signIns >= 0 ? services.auth.accountName() : null), [services, runCount, signIns]);

  // "OK saves and syncs": run once the session for the saved settings exists.
  useEffect(() => {
    if (syncRequest > 0 && session) void syncNow();
  }, [syncRequest, session, syncNow]);

  // A plan waiting for review takes the user to it from Status (an automatic run never pulls them
  // out of Setup or the filter editor: the "Pending" tab appears instead); finishing it brings
  // them back to Status.
  // Focus follows: the button that started it is gone, so focus goes to the new view's heading.
  const pendingId = controller.pending?.runId ?? null;
  // Read through a ref: only a change of plan moves the user, never a tab click.
  const tabRef = useRef(tab);
  useEffect(() => {
    tabRef.current = tab;
  }, [tab]);
  useEffect(() => {
    if (pendingId) {
      if (tabRef.current === "status") {
        setTab("pending");
        focusHeading("pending-title");
      }
    } else if (tabRef.current === "pending") {
      setTab("status");
      focusHeading("status-title");
    }
  }, [pendingId, focusHeading]);

  const save = useCallback(
    async (next: PaneSettings) => {
      await services.settings.save(next);
      setSettings(next);
      setSetupDraft(null);
      setTab("status");
      focusHeading("status-title");
      setSyncRequest((n) => n + 1);
    },
    [services, focusHeading],
  );

  const signIn = async () => {
    setSignInError(null);
    try {
      await services.auth.signIn();
      setSignIns((n) => n + 1);
    } catch (err) {
      setSignInError(messageOf(err));
    }
  };

  return (
    <TermsProvider terms={terms}>
      <I18nProvider translator={translator}>
        <Pane
          tab={tab}
          setTab={setTab}
          account={account}
          signIn={signIn}
          signInError={signInError}
          controller={controller}
          session={session}
          settings={settings}
          autoSync={{ enabled: !!settings?.autoSync, error: auto.error, retryAt: auto.retryAt }}
          setupDraft={setupDraft}
          setSetupDraft={setSetupDraft}
          save={save}
        />
      </I18nProvider>
    </TermsProvider>
  );
}

interface PaneProps {
  tab: PaneTab;
  setTab(tab: PaneTab): void;
  account: string | null;
  signIn(): Promise<void>;
  signInError: string | null;
  controller: ReturnType<typeof useSyncController>;
  session: ReturnType<PaneServices["createSession"]> | null;
  settings: PaneSettings | null;
  autoSync: { enabled: boolean; error: string | null; retryAt: number | null };
  setupDraft: PaneSettings | null;
  setSetupDraft(d: PaneSettings | null): void;
  save(next: PaneSettings): Promise<void>;
}

/** The frame and the current view, in the translator's words. */
function Pane({ tab, setTab, account, signIn, signInError, controller, session, settings, autoSync, setupDraft, setSetupDraft, save }: PaneProps) {
  const s = useStyles();
  const { t } = useI18n();
  return (
    <div className={s.root}>
      <header className={s.account}>
        {account ? (
          <Text size={200} data-testid="account-name">
            {account}
          </Text>
        ) : (
          <Button size="small" onClick={() => void signIn()} data-testid="sign-in">
            {t("app.signIn")}
          </Button>
        )}
      </header>
      {signInError && <Text role="alert">{t("app.signInFailed", { message: signInError })}</Text>}
      <nav aria-label={t("app.navLabel")}>
        <TabList size="small" className={s.tabs} selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as PaneTab)} aria-label={t("app.tabsLabel")}>
          <Tab value="status">{t("app.tab.status")}</Tab>
          {controller.pending && (
            <Tab value="pending">
              {t("app.tab.pending")}{" "}
              <CounterBadge className={s.tabCount} size="small" appearance="filled" color="brand" count={controller.pending.changes.length} overflowCount={99999} />
            </Tab>
          )}
          <Tab value="setup">{t("app.tab.setup")}</Tab>
          <Tab value="filters">{t("app.tab.filters")}</Tab>
        </TabList>
      </nav>
      <main>
        <Suspense fallback={<Spinner size="small" label={t("app.loading")} />}>
          {tab === "status" && (
            <StatusView
              controller={controller}
              session={session}
              folderPath={settings?.folder?.path ?? null}
              autoSync={autoSync}
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
              saved={settings}
              onDraftChange={setSetupDraft}
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
            <FilterEditorView
              syncFilterId={isConfigured(settings) ? settings.filterId : null}
              onDone={() => setTab(setupDraft || !isConfigured(settings) ? "setup" : "status")}
            />
          )}
        </Suspense>
      </main>
    </div>
  );
}
