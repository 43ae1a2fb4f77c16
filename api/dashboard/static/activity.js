// The 운영 실적 panel: what programs achieved, per program type (sessions, participants, won each).
import { flash } from "./charts.js";
import { wonFull } from "./format.js";

export const ACTIVITY_FIELDS = "keys { value label } sessions participants executed wonPerParticipant";
const count = new Intl.NumberFormat("ko-KR");
const $ = (id) => document.getElementById(id);

function cell(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

// Most participants first; the figures also sit in data-* attributes, exactly as GraphQL sent them.
export function renderActivity(groups) {
  const sorted = [...groups].sort((a, b) => b.participants - a.participants);
  const rows = sorted.map((group) => {
    const row = document.createElement("tr");
    row.dataset.key = group.keys[0]?.value ?? "";
    row.dataset.sessions = String(group.sessions);
    row.dataset.participants = String(group.participants);
    row.dataset.wonPerParticipant = group.wonPerParticipant === null ? "" : String(group.wonPerParticipant);
    row.append(
      cell("th", group.keys[0]?.label ?? "전체", { scope: "row" }),
      cell("td", `${count.format(group.sessions)}회`),
      cell("td", `${count.format(group.participants)}명`),
      cell("td", group.wonPerParticipant === null ? "–" : wonFull(group.wonPerParticipant)),
    );
    return row;
  });
  $("activity-rows").replaceChildren(...rows);
  const sessions = groups.reduce((sum, g) => sum + g.sessions, 0);
  const participants = groups.reduce((sum, g) => sum + g.participants, 0);
  const total = `운영 ${count.format(sessions)}회 · 참여 ${count.format(participants)}명`;
  const summary = $("activity-total");
  if (summary.textContent !== total && summary.textContent !== "") flash(summary);
  summary.textContent = groups.length ? total : "아직 기록된 운영 실적이 없습니다.";
}
