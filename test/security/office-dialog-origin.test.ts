// Finding 13 of the security review: the Office dialog's message handler takes a sign-in answer only
// from the pane's own origin. Office itself cannot run here, so the probe drives the handler through an
// Office.context.ui stand-in that delivers messages the way Office does (DialogOrigin 1.1: with origin).
import { openOfficeDialog, type DialogEventArg, type OfficeUiLike } from "../../src/auth/office-dialog";

const PANE = "https://contacts.firm.example";

function fakeUi() {
  const handlers = new Map<string, (arg: DialogEventArg) => void>();
  let closed = false;
  const ui: OfficeUiLike = {
    messageEvent: "dialogMessageReceived",
    closedEvent: "dialogEventReceived",
    displayDialogAsync(_url, _opts, callback) {
      callback({ status: "succeeded", value: { addEventHandler: (type, h) => handlers.set(type, h), close: () => (closed = true) } });
    },
  };
  return { ui, send: (arg: DialogEventArg) => handlers.get(ui.messageEvent)!(arg), closed: () => closed };
}

test("a message from another origin is ignored; the pane's own answer is taken", async () => {
  const warn = jest.spyOn(console, "warn").mockImplementation(() => {});
  const d = fakeUi();
  const answer = openOfficeDialog(d.ui, `${PANE}/auth-dialog.html`, PANE);
  d.send({ origin: "https://evil.example", message: JSON.stringify({ accessToken: "attacker's" }) });
  d.send({ origin: "https://contacts.firm.example.evil.example", message: JSON.stringify({ accessToken: "look-alike" }) });
  expect(d.closed()).toBe(false);
  d.send({ origin: PANE, message: JSON.stringify({ accessToken: "ours" }) });
  await expect(answer).resolves.toBe(JSON.stringify({ accessToken: "ours" }));
  expect(warn).toHaveBeenCalledTimes(2);
  warn.mockRestore();
});

test("a dialog page on another origin is refused before it opens", async () => {
  const d = fakeUi();
  await expect(openOfficeDialog(d.ui, "https://evil.example/auth-dialog.html", PANE)).rejects.toThrow(/pane's origin/);
});
