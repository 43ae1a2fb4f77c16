// The partner dashboard: figures over HTTP first, then kept live over the GraphQL WebSocket.
import { GraphQLWs } from "./gqlws.js";
import { describeChart, renderBars, renderColumns, renderDonut, renderRing, flash } from "./charts.js";
import { ago, clock, rate, wonFull, wonShort } from "./format.js";
import { ACTIVITY_FIELDS, renderActivity } from "./activity.js";

const TOKEN_KEY = "eduhub.token";
const GROUP_FIELDS = "keys { dimension value label } allocated executed executionRate lineCount";
// One chart per dimension; "TOTAL" (no grouping) feeds the headline figures.
const FUNDER_ORDER = ["CITY", "OFFICE_OF_EDUCATION", "PROVINCE", "OTHER"];
// Largest first reads best for categories; funders keep the agreement's order (city, office, province).
const byAllocated = (groups) => [...groups].sort((a, b) => b.allocated - a.allocated);
const byFunder = (groups) =>
  [...groups].sort((a, b) => FUNDER_ORDER.indexOf(a.keys[0]?.value) - FUNDER_ORDER.indexOf(b.keys[0]?.value));
// Every chart is drawn, then described in text (its accessible name and a table).
const draw = (dimension, render, order = (g) => g) => (groups) => {
  render(chart(dimension), order(groups));
  describeChart(chart(dimension), order(groups));
};
const CHARTS = {
  TOTAL: { groupBy: [], render: renderTotals },
  CATEGORY: { groupBy: ["CATEGORY"], render: draw("CATEGORY", renderBars, byAllocated) },
  FUNDER: { groupBy: ["FUNDER"], render: draw("FUNDER", renderDonut, byFunder) },
  FISCAL_YEAR: { groupBy: ["FISCAL_YEAR"], render: draw("FISCAL_YEAR", renderColumns) },
  LEVEL: { groupBy: ["LEVEL"], render: draw("LEVEL", renderBars) },
  DISTRICT: { groupBy: ["DISTRICT"], render: draw("DISTRICT", renderBars) },
};
const ACTIONS = { CREATE: "추가", UPDATE: "수정", ARCHIVE: "보관", RESTORE: "복원" };
const RECORDS = { SCHOOL: "학교", PROGRAM: "사업", BUDGET_LINE: "예산", PARTNER: "교육자원", PROGRAM_SESSION: "운영 실적" };
const FIELDS = {
  allocated: "배정액", executed: "집행액", note: "비고", funder: "재원", fiscalYear: "연도", fiscal_year: "연도", name: "이름", category: "유형", status: "상태",
  held_on: "일자", place: "장소", partner_code: "교육자원코드", program_code: "사업코드", elementary: "초등", middle: "중등", high: "고등", special: "특수", hours: "시간",
};
// The 운영 실적 panel, per program type; it has its own query and subscription (activitySummary).
const ACTIVITY = "ACTIVITY";

const $ = (id) => document.getElementById(id);
const chart = (dimension) => $(`chart-${dimension}`);
let socket = null;
// Charts the WebSocket has already filled: a slower HTTP answer must not overwrite them.
const liveCharts = new Set();
let syncStatus = null;

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

async function fetchFigures() {
  const fields = Object.entries(CHARTS)
    .map(([name, c]) => `${name}: budgetSummary(groupBy: [${c.groupBy.join(", ")}]) { ${GROUP_FIELDS} }`)
    .join("\n") + `\n${ACTIVITY}: activitySummary(groupBy: [CATEGORY]) { ${ACTIVITY_FIELDS} }`;
  const headers = { "Content-Type": "application/json" };
  if (token()) headers.Authorization = `Bearer ${token()}`;
  try {
    const response = await fetch("/graphql", { method: "POST", headers, body: JSON.stringify({ query: `query DashboardFigures { ${fields} }` }) });
    const result = await response.json();
    if (!result.data) return;
    for (const [name, groups] of Object.entries(result.data)) {
      if (!groups || liveCharts.has(name)) continue;
      if (name === ACTIVITY) renderActivity(groups);
      else CHARTS[name].render(groups);
    }
  } catch (error) {
    // The WebSocket subscriptions send current figures too; HTTP only makes the first paint faster.
    console.warn("figures over HTTP failed", error);
  }
}

function renderTotals(groups) {
  const total = groups[0] ?? { allocated: 0, executed: 0, executionRate: null, lineCount: 0 };
  const tiles = [
    ["kpi-allocated", wonShort(total.allocated), "kpi-allocated-full", wonFull(total.allocated)],
    ["kpi-executed", wonShort(total.executed), "kpi-executed-full", wonFull(total.executed)],
  ];
  for (const [id, short, fullId, full] of tiles) {
    const node = $(id);
    if (node.textContent !== short && node.textContent !== "–") flash(node.parentElement);
    node.textContent = short;
    node.dataset.won = String(id === "kpi-allocated" ? total.allocated : total.executed);
    $(fullId).textContent = full;
  }
  $("kpi-rate").textContent = rate(total.executionRate);
  $("kpi-lines").textContent = `예산 항목 ${total.lineCount.toLocaleString("ko-KR")}건`;
  renderRing($("kpi-ring"), total.executionRate);
  $("updated").textContent = `화면 갱신 ${clock(new Date())}`;
}

function connect() {
  socket?.close();
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const params = token() ? { authorization: `Bearer ${token()}` } : {};
  socket = new GraphQLWs(`${scheme}://${location.host}/graphql`, { connectionParams: params, onState: showConnection });
  for (const [name, c] of Object.entries(CHARTS)) {
    socket.subscribe(
      `subscription DashboardSummary($groupBy: [BudgetDimension!]!) { budgetSummary(groupBy: $groupBy) { ${GROUP_FIELDS} } }`,
      { groupBy: c.groupBy },
      {
        next: (r) => r.data && (liveCharts.add(name), c.render(r.data.budgetSummary)),
        error: (e) => console.warn(e),
      },
    );
  }
  socket.subscribe(
    `subscription DashboardActivity { activitySummary(groupBy: [CATEGORY]) { ${ACTIVITY_FIELDS} } }`,
    {},
    { next: (r) => r.data && (liveCharts.add(ACTIVITY), renderActivity(r.data.activitySummary)), error: (e) => console.warn(e) },
  );
  const partner = Boolean(token());
  $("changes-card").hidden = !partner;
  // Freshness is public; only the error text needs a token (null otherwise).
  socket.subscribe(
    "subscription DashboardSyncStatus { syncStatus { lastCycleAt lastSuccessAt lastCycleFailed lastError pendingChanges pendingConflicts openIssues recentCycles { cycleId startedAt outcome toDatabase created archived toSheet conflicts revertedAt } } }",
    {},
    { next: (r) => r.data && ((syncStatus = r.data.syncStatus), showFreshness(), showCycles()), error: () => {} },
  );
  if (partner) {
    socket.subscribe(
      "subscription DashboardChanges { changes { eventId occurredAt recordType action changedFields changes actorKind actorName } }",
      {},
      { next: (r) => r.data && addChange(r.data.changes), error: () => {} },
    );
  }
}

function showConnection(state, reason) {
  const live = $("live");
  const states = {
    open: ["pill-ok", "● 실시간 연결됨"],
    closed: ["pill-warn", "연결이 끊겨 다시 연결하는 중…"],
    forbidden: ["pill-bad", "토큰이 거부되었습니다"],
  };
  const [cls, text] = states[state];
  live.className = `pill ${cls}`;
  live.textContent = text;
  live.dataset.state = state;
  if (state === "forbidden") {
    // A wrong token must not leave the page blank: say so, then carry on as a public visitor.
    $("token-message").textContent = "토큰이 올바르지 않거나 폐기되었습니다. 공개 집계만 표시합니다.";
    $("token-box").open = true;
    sessionStorage.removeItem(TOKEN_KEY);
    showToken();
    setTimeout(connect, 0);
  }
}

function showFreshness() {
  const pill = $("freshness");
  if (!syncStatus) {
    pill.className = "pill pill-muted";
    pill.textContent = "동기화 상태 확인 중…";
    return;
  }
  const { lastSuccessAt, lastCycleFailed, lastError, openIssues, pendingConflicts } = syncStatus;
  const lag = lastSuccessAt ? (Date.now() - Date.parse(lastSuccessAt)) / 1000 : null;
  const level = lastCycleFailed || lag === null ? "bad" : lag < 120 ? "ok" : lag < 900 ? "warn" : "bad";
  const parts = [lag === null ? "시트 동기화 기록 없음" : `시트 동기화 ${ago(lag)}`];
  if (openIssues) parts.push(`시트 오류 ${openIssues}건`);
  if (pendingConflicts) parts.push(`충돌 ${pendingConflicts}건`);
  if (lastCycleFailed) parts.push("마지막 동기화 실패");
  pill.className = `pill pill-${level}`;
  pill.textContent = parts.join(" · ");
  // The detail is shown, not only a mouse-over title: keyboard and screen-reader users read it too.
  const detail = lastError ? `오류: ${lastError}` : lastSuccessAt ? `마지막 성공 ${new Date(lastSuccessAt).toLocaleString("ko-KR")}` : "";
  if (detail) {
    const more = document.createElement("span");
    more.className = "pill-detail";
    more.textContent = ` (${detail})`;
    pill.append(more);
  }
  pill.title = detail;
}

const OUTCOMES = { RUNNING: "진행 중", SUCCEEDED: "성공", FAILED: "실패", ABANDONED: "중단됨" };

// The freshness panel's history: one row per cycle that read the sheet, with its counts each way.
function showCycles() {
  const cycles = syncStatus?.recentCycles ?? [];
  const body = $("sync-cycles").tBodies[0];
  const rows = cycles.map((c) => {
    const row = document.createElement("tr");
    row.dataset.cycle = String(c.cycleId);
    const cells = [
      `#${c.cycleId}`,
      new Date(c.startedAt).toLocaleString("ko-KR"),
      OUTCOMES[c.outcome] ?? c.outcome,
      `${c.toDatabase}건`,
      `${c.created}건`,
      `${c.archived}건`,
      `${c.toSheet}건`,
      `${c.conflicts}건`,
      c.revertedAt ? `되돌림 (${new Date(c.revertedAt).toLocaleString("ko-KR")})` : "–",
    ];
    for (const text of cells) {
      const cell = document.createElement("td");
      cell.textContent = text;
      row.append(cell);
    }
    if (c.outcome === "FAILED" || c.outcome === "ABANDONED") row.className = "cycle-failed";
    return row;
  });
  if (!rows.length) {
    const row = document.createElement("tr");
    const cell = document.createElement("td");
    cell.colSpan = 9;
    cell.className = "cycles-empty";
    cell.textContent = "아직 시트 동기화 기록이 없습니다.";
    row.append(cell);
    rows.push(row);
  }
  body.replaceChildren(...rows);
}

function addChange(change) {
  const list = $("changes");
  const item = document.createElement("li");
  const fields = change.changedFields.map((f) => FIELDS[f] ?? f).join(", ");
  const money = ["allocated", "executed"].filter((f) => change.changes[f]).map((f) => `${FIELDS[f]} ${wonShort(change.changes[f][0] ?? 0)} → ${wonShort(change.changes[f][1] ?? 0)}`);
  const who = change.actorKind === "SHEET_SYNC" ? "스프레드시트" : change.actorName;
  item.textContent = `${clock(new Date(change.occurredAt))} · ${RECORDS[change.recordType] ?? change.recordType} ${ACTIONS[change.action] ?? change.action}${fields ? ` (${fields})` : ""}${money.length ? ` · ${money.join(", ")}` : ""} · ${who}`;
  list.prepend(item);
  while (list.children.length > 12) list.lastElementChild.remove();
  flash(item);
}

function showToken() {
  $("token-summary").textContent = token() ? "파트너 토큰 사용 중" : "파트너 토큰";
  $("token-input").value = "";
}

$("token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const value = $("token-input").value.trim();
  if (!value) return;
  sessionStorage.setItem(TOKEN_KEY, value);
  $("token-message").textContent = "";
  $("token-box").open = false;
  $("token-summary").focus(); // the form closes: keep keyboard focus where the user was, not on <body>
  showToken();
  fetchFigures();
  connect();
});
// Escape closes the token box and gives focus back to its summary (keyboard users are not trapped).
$("token-box").addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || !$("token-box").open) return;
  $("token-box").open = false;
  $("token-summary").focus();
});
$("token-clear").addEventListener("click", () => {
  sessionStorage.removeItem(TOKEN_KEY);
  $("token-message").textContent = "";
  showToken();
  connect();
});

showToken();
showFreshness();
fetchFigures();
connect();
// The lag ("12초 전") ages on screen between pushes.
setInterval(showFreshness, 1000);
