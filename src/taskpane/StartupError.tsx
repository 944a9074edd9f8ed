// Shown when the pane cannot start (bad config.json, no host): says what is wrong and what to do.
import { FluentProvider, MessageBar, MessageBarBody, MessageBarTitle, webLightTheme } from "@fluentui/react-components";

export function StartupError({ message }: { message: string }) {
  return (
    <FluentProvider theme={webLightTheme}>
      <div style={{ padding: 12 }}>
        <MessageBar intent="error" data-testid="startup-error">
          <MessageBarBody>
            <MessageBarTitle>Practice Contact Sync could not start</MessageBarTitle>
            {message} If this keeps happening, ask your IT administrator to check the add-in&apos;s config.json.
          </MessageBarBody>
        </MessageBar>
      </div>
    </FluentProvider>
  );
}
