// The GraphQL over HTTP audit of the graphql-http package, against the URL given: prints one JSON
// object {ok, warn, error, failed: [...]} (tests/api/test_graphql_http_audit.py reads it).
const { serverAudits } = require('graphql-http');

(async () => {
  const counts = { ok: 0, warn: 0, error: 0, failed: [] };
  for (const audit of serverAudits({ url: process.argv[2] })) {
    const result = await audit.fn();
    counts[result.status] += 1;
    if (result.status !== 'ok') counts.failed.push(`${result.status} ${audit.name}: ${result.reason}`);
  }
  console.log(JSON.stringify(counts));
})();
