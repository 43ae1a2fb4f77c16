// GraphiQL with the explorer plugin, as strawberry's page sets it up, from a file rather than
// an inline script (the CSP allows no inline script). Queries and variables live in the URL so
// a query can be shared as a link; headers (a bearer token) never go into the URL.
(function () {
  "use strict";
  var EXAMPLE_QUERY = [
    "# GraphiQL for the Hanam Education Hub API.",
    "# Run with Ctrl-Enter; Ctrl-Space completes. A token goes in Headers:",
    '#   {"Authorization": "Bearer ehub_..."}',
    "",
    "{",
    "  budgetSummary(groupBy: [FUNDER]) {",
    "    keys { label }",
    "    allocated",
    "    executed",
    "    executionRate",
    "  }",
    "}",
    "",
  ].join("\n");

  var parameters = {};
  window.location.search
    .slice(1)
    .split("&")
    .forEach(function (entry) {
      var eq = entry.indexOf("=");
      if (eq >= 0) {
        parameters[decodeURIComponent(entry.slice(0, eq))] = decodeURIComponent(entry.slice(eq + 1));
      }
    });

  function updateURL(data) {
    Object.assign(parameters, data);
    var search = Object.keys(parameters)
      .filter(function (key) { return Boolean(parameters[key]); })
      .map(function (key) { return encodeURIComponent(key) + "=" + encodeURIComponent(parameters[key]); })
      .join("&");
    history.replaceState(null, "", "?" + search);
  }

  var fetchURL = window.location.href.split("?")[0];
  var subscriptionURL = new URL(fetchURL);
  subscriptionURL.protocol = subscriptionURL.protocol === "https:" ? "wss:" : "ws:";
  subscriptionURL.hash = "";

  var fetcher = GraphiQL.createFetcher({ url: fetchURL, subscriptionUrl: subscriptionURL.toString() });
  var explorer = GraphiQLPluginExplorer.explorerPlugin();

  function Page() {
    var query = React.useState(parameters.q || EXAMPLE_QUERY);
    var variables = React.useState(parameters.variables);
    var headers = React.useState(parameters.headers);
    return React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: true,
      plugins: [explorer],
      query: query[0],
      variables: variables[0],
      headers: headers[0],
      onEditQuery: function (value) { query[1](value); updateURL({ q: value }); },
      onEditVariables: function (value) { variables[1](value); updateURL({ variables: value }); },
      onEditHeaders: function (value) { headers[1](value); },
      inputValueDeprecation: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
    });
  }

  ReactDOM.createRoot(document.getElementById("graphiql")).render(React.createElement(Page));

  // GraphiQL's CodeMirror editors read keys through a hidden textarea that has no label, and their
  // scroll areas cannot take focus (WCAG 2.1.1: a long response must scroll by keyboard too):
  // name each textarea after its editor and put each scroll area in the tab order.
  var EDITOR_NAMES = [
    [".graphiql-query-editor", "Query editor"],
    [".graphiql-response", "Response"],
    [".graphiql-editor-tool > .graphiql-editor:nth-child(1)", "Variables editor"],
    [".graphiql-editor-tool > .graphiql-editor:nth-child(2)", "Headers editor"],
  ];
  function labelEditors() {
    EDITOR_NAMES.forEach(function (entry) {
      document.querySelectorAll(entry[0] + " .CodeMirror textarea:not([aria-label])").forEach(function (area) {
        area.setAttribute("aria-label", entry[1]);
      });
    });
    // The explorer plugin's "add new operation" select has no label either.
    document.querySelectorAll(".graphiql-explorer-actions select:not([aria-label])").forEach(function (select) {
      select.setAttribute("aria-label", "Type of the new operation");
    });
    // Its argument inputs neither: each is named after its argument.
    document.querySelectorAll("[data-arg-name] input:not([aria-label])").forEach(function (input) {
      input.setAttribute("aria-label", input.closest("[data-arg-name]").getAttribute("data-arg-name"));
    });
    // CodeMirror sets tabindex=-1 on them; 0 makes them reachable by Tab.
    document.querySelectorAll('.CodeMirror-scroll:not([tabindex="0"])').forEach(function (scroll) {
      scroll.setAttribute("tabindex", "0");
    });
  }
  new MutationObserver(labelEditors).observe(document.getElementById("graphiql"), { childList: true, subtree: true });
})();
