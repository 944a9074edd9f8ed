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
  // office.js cannot say Outlook's display language here (the pane's catalogue is in the bundle that
  // does not run), so the browser's language chooses, as in the pane's local mode (docs/localization.md).
  var lang = String(navigator.language || navigator.userLanguage || "").toLowerCase();
  var TEXTS = {
    en: {
      title: "Practice Contact Sync needs a newer version of Outlook.",
      body:
        "This Outlook shows add-ins with " + legacy + ", which this add-in cannot run in. " +
        "Update to Microsoft 365 Apps version 2101 or later (or Office 2021 or later) with the Microsoft Edge WebView2 Runtime installed, " +
        "or use the new Outlook for Windows or Outlook on the web. Your IT administrator can help with the update."
    },
    es: {
      title: "Practice Contact Sync necesita una versión más reciente de Outlook.",
      body:
        "Este Outlook muestra los complementos con " + legacy + ", en el que este complemento no puede ejecutarse. " +
        "Actualiza a Aplicaciones de Microsoft 365 versión 2101 o posterior (u Office 2021 o posterior) con Microsoft Edge WebView2 Runtime instalado, " +
        "o usa el nuevo Outlook para Windows u Outlook en la Web. El administrador de TI puede ayudarte con la actualización."
    }
  };
  var text = lang.split("-")[0] === "es" ? TEXTS.es : TEXTS.en;
  container.innerHTML = "";
  var box = document.createElement("div");
  box.setAttribute("role", "alert");
  box.setAttribute("data-testid", "unsupported-webview");
  box.style.cssText = "font-family: 'Segoe UI', sans-serif; font-size: 14px; padding: 12px; line-height: 1.4;";
  var title = document.createElement("p");
  title.style.fontWeight = "600";
  title.appendChild(document.createTextNode(text.title));
  var body = document.createElement("p");
  body.appendChild(document.createTextNode(text.body));
  box.appendChild(title);
  box.appendChild(body);
  container.appendChild(box);
  // Tell the bundle (where it does load, e.g. Edge Legacy) not to replace this message.
  window.__pcsUnsupportedWebview = legacy;
})();
