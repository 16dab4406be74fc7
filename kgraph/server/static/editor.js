// The query editor of `kgraph serve`: YASGUI on this endpoint, with kgraph's prefixes and a first query.
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("kgraph-editor-settings").textContent);
  // Only completions from the text itself: the class and property completers ask servers on the web.
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  var editor = new Yasgui(document.getElementById("kgraph-editor"), {
    requestConfig: { endpoint: new URL(settings.endpoint, window.location.href).href, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: "kgraph-editor",
    yasqe: { value: settings.query },
  });
  window.kgraphEditor = editor;
})();
