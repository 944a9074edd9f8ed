// Runs before the pane's bundle, in ES5 only, so that it runs where the bundle cannot: Outlook on Windows
// builds that host add-ins in Internet Explorer 11 (Trident) or Edge Legacy (EdgeHTML) rather than
// WebView2 (learn.microsoft.com/office/dev/add-ins/concepts/browsers-used-by-office-web-add-ins). There
// the bundle fails to parse and the pane would say "Loading…" forever; instead this says what to update.
// A separate file, not an inline script, so the pane's Content-Security-Policy still holds.
(function () {
  var ua = navigator.userAgent || "";
  // Chromium Edge says "Edg/"; Edge Legacy says "Edge/<version>"; IE 11 says "Trident/".
  var legacy = /Trident\/|MSIE /.test(ua) ? "Internet Explorer" : /\bEdge\/\d/.test(ua) ? "Microsoft Edge Legacy" : null;
  if (!legacy) return;
  var container = document.getElementById("container");
  if (!container) return;
  container.innerHTML = "";
  var box = document.createElement("div");
  box.setAttribute("role", "alert");
  box.setAttribute("data-testid", "unsupported-webview");
  box.style.cssText = "font-family: 'Segoe UI', sans-serif; font-size: 14px; padding: 12px; line-height: 1.4;";
  var title = document.createElement("p");
  title.style.fontWeight = "600";
  title.appendChild(document.createTextNode("Practice Contact Sync needs a newer version of Outlook."));
  var body = document.createElement("p");
  body.appendChild(
    document.createTextNode(
      "This Outlook shows add-ins with " + legacy + ", which this add-in cannot run in. " +
        "Update to Microsoft 365 Apps version 2101 or later (or Office 2021 or later) with the Microsoft Edge WebView2 Runtime installed, " +
        "or use the new Outlook for Windows or Outlook on the web. Your IT administrator can help with the update."
    )
  );
  box.appendChild(title);
  box.appendChild(body);
  container.appendChild(box);
  // Tell the bundle (where it does load, e.g. Edge Legacy) not to replace this message.
  window.__pcsUnsupportedWebview = legacy;
})();
