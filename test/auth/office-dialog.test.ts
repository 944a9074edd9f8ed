// The Office dialog fallback takes a token only from the pane's own auth page: a message from any other
// origin (a page the dialog passed through, another AppDomain) is ignored and the dialog stays open.
import { fromPaneOrigin, openOfficeDialog, type DialogEventArg, type OfficeUiLike } from "../../src/auth/office-dialog";

const PANE = "https://pane.example";
const DIALOG_URL = `${PANE}/auth-dialog.html?clientId=c`;

function fakeUi() {
  const handlers = new Map<string, (arg: DialogEventArg) => void>();
  let closed = 0;
  const opened: string[] = [];
  const ui: OfficeUiLike = {
    messageEvent: "message",
    closedEvent: "closed",
    displayDialogAsync: (url, _options, callback) => {
      opened.push(url);
      callback({
        status: "succeeded",
        value: { addEventHandler: (type, handler) => handlers.set(type, handler), close: () => void closed++ },
      });
    },
  };
  return { ui, opened, send: (type: string, arg: DialogEventArg) => handlers.get(type)?.(arg), closed: () => closed };
}

beforeEach(() => jest.spyOn(console, "warn").mockImplementation(() => undefined));
afterEach(() => jest.restoreAllMocks());

it("resolves with the message the pane's own page posts and closes the dialog", async () => {
  const fake = fakeUi();
  const answer = openOfficeDialog(fake.ui, DIALOG_URL, PANE);
  fake.send("message", { message: '{"accessToken":"t"}', origin: PANE });
  await expect(answer).resolves.toBe('{"accessToken":"t"}');
  expect(fake.closed()).toBe(1);
  expect(fake.opened).toEqual([DIALOG_URL]);
});

it("ignores a message from another origin and keeps waiting for the pane's own", async () => {
  const fake = fakeUi();
  const answer = openOfficeDialog(fake.ui, DIALOG_URL, PANE);
  let settled = false;
  void answer.then(() => (settled = true), () => (settled = true));
  fake.send("message", { message: '{"accessToken":"forged"}', origin: "https://evil.example" });
  fake.send("message", { message: '{"accessToken":"forged"}', origin: "https://pane.example.evil.example" });
  fake.send("message", { message: '{"accessToken":"forged"}', origin: "http://pane.example" });
  await Promise.resolve();
  expect(settled).toBe(false);
  expect(fake.closed()).toBe(0);
  expect(console.warn).toHaveBeenCalledWith(expect.stringContaining("https://evil.example"));
  fake.send("message", { message: '{"accessToken":"real"}', origin: PANE });
  await expect(answer).resolves.toBe('{"accessToken":"real"}');
});

it("accepts a message without an origin (clients before DialogOrigin 1.1 deliver only same-domain messages)", async () => {
  expect(fromPaneOrigin(undefined, PANE)).toBe(true);
  expect(fromPaneOrigin(PANE, PANE)).toBe(true);
  expect(fromPaneOrigin("null", PANE)).toBe(false);
  expect(fromPaneOrigin("", PANE)).toBe(false);
  const fake = fakeUi();
  const answer = openOfficeDialog(fake.ui, DIALOG_URL, PANE);
  fake.send("message", { message: "{}" });
  await expect(answer).resolves.toBe("{}");
});

it("refuses to open a dialog page that is not on the pane's origin", async () => {
  const fake = fakeUi();
  await expect(openOfficeDialog(fake.ui, "https://evil.example/auth-dialog.html", PANE)).rejects.toThrow(/pane's origin/);
  expect(fake.opened).toEqual([]);
});

it("reports a user-closed dialog as a cancelled sign-in", async () => {
  const fake = fakeUi();
  const answer = openOfficeDialog(fake.ui, DIALOG_URL, PANE);
  fake.send("closed", { error: 12006 });
  await expect(answer).rejects.toThrow("Sign-in was cancelled.");
});
