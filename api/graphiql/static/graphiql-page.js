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
})();
