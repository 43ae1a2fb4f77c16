// Hand-written charts (HTML bars and SVG rings): no library, no CDN, nothing to download.
// Elements are keyed by group, so an update moves bars smoothly and flashes what changed.
import { rate, wonFull, wonShort } from "./format.js";

const SVG = "http://www.w3.org/2000/svg";
// Each colour keeps at least 3:1 against white (WCAG 1.4.11, non-text contrast).
export const FUNDER_COLORS = { CITY: "#2563eb", OFFICE_OF_EDUCATION: "#0f766e", PROVINCE: "#b45309", OTHER: "#64748b" };
const FALLBACK_COLORS = ["#6d28d9", "#be185d", "#4d7c0f", "#0e7490"];

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function svg(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

const keyOf = (group) => group.keys.map((k) => k.value ?? "∅").join("|") || "TOTAL";
const labelOf = (group) => group.keys.map((k) => k.label).join(" · ") || "전체";

// Reuse children by data-key, create the missing, drop the stale, keep the order given.
function keyed(container, groups, create, update) {
  const existing = new Map([...container.children].map((child) => [child.dataset.key, child]));
  const seen = new Set();
  groups.forEach((group, index) => {
    const key = keyOf(group);
    seen.add(key);
    let node = existing.get(key);
    const before = node ? [node.dataset.allocated, node.dataset.executed] : null;
    if (!node) {
      node = create(group);
      node.dataset.key = key;
    }
    node.dataset.allocated = String(group.allocated);
    node.dataset.executed = String(group.executed);
    node.dataset.rate = group.executionRate === null ? "" : String(group.executionRate);
    update(node, group);
    if (container.children[index] !== node) container.insertBefore(node, container.children[index] ?? null);
    if (before && (before[0] !== node.dataset.allocated || before[1] !== node.dataset.executed)) flash(node);
  });
  for (const [key, node] of existing) if (!seen.has(key)) node.remove();
}

export function flash(node) {
  node.classList.remove("changed");
  void node.offsetWidth; // restart the animation
  node.classList.add("changed");
}

function empty(container, groups) {
  container.classList.toggle("is-empty", groups.length === 0);
  if (groups.length === 0 && !container.querySelector(".empty")) container.append(el("p", "empty", "집계할 예산이 없습니다."));
  if (groups.length) container.querySelector(".empty")?.remove();
}

// Horizontal bars: allocated as the track, executed on top, both scaled to the largest allocation.
export function renderBars(container, groups) {
  empty(container, groups);
  let list = container.querySelector(".bars");
  if (!list) container.append((list = el("div", "bars")));
  const max = Math.max(1, ...groups.map((g) => Math.max(g.allocated, g.executed)));
  keyed(
    list,
    groups,
    () => {
      const row = el("div", "bar-row");
      const track = el("div", "bar-track");
      track.append(el("div", "bar-alloc"), el("div", "bar-exec"));
      const figures = el("div", "bar-figures");
      figures.append(el("span", "amount"), el("span", "rate"));
      row.append(el("div", "bar-label"), track, figures);
      return row;
    },
    (row, group) => {
      row.querySelector(".bar-label").textContent = labelOf(group);
      row.querySelector(".bar-alloc").style.width = `${(100 * group.allocated) / max}%`;
      row.querySelector(".bar-exec").style.width = `${(100 * group.executed) / max}%`;
      row.querySelector(".amount").textContent = `${wonShort(group.executed)} / ${wonShort(group.allocated)}`;
      row.querySelector(".rate").textContent = rate(group.executionRate);
      row.title = `${labelOf(group)}\n배정 ${wonFull(group.allocated)}\n집행 ${wonFull(group.executed)}\n집행률 ${rate(group.executionRate)}`;
    },
  );
}

// Paired columns per year: allocated and executed side by side.
export function renderColumns(container, groups) {
  empty(container, groups);
  let list = container.querySelector(".columns");
  if (!list) container.append((list = el("div", "columns")));
  const max = Math.max(1, ...groups.map((g) => Math.max(g.allocated, g.executed)));
  keyed(
    list,
    groups,
    () => {
      const column = el("div", "column");
      const pair = el("div", "column-pair");
      pair.append(el("div", "column-alloc"), el("div", "column-exec"));
      column.append(el("span", "column-rate"), pair, el("span", "column-label"), el("span", "column-amount"));
      return column;
    },
    (column, group) => {
      column.querySelector(".column-alloc").style.height = `${(100 * group.allocated) / max}%`;
      column.querySelector(".column-exec").style.height = `${(100 * group.executed) / max}%`;
      column.querySelector(".column-rate").textContent = rate(group.executionRate);
      column.querySelector(".column-label").textContent = labelOf(group);
      column.querySelector(".column-amount").textContent = wonShort(group.allocated);
      column.title = `${labelOf(group)}\n배정 ${wonFull(group.allocated)}\n집행 ${wonFull(group.executed)}`;
    },
  );
}

// A donut of each funder's share of the allocation, with a legend carrying the figures.
export function renderDonut(container, groups) {
  empty(container, groups);
  let holder = container.querySelector(".donut");
  if (!holder) {
    holder = el("div", "donut");
    holder.append(el("div", "donut-figure"), el("div", "donut-legend"));
    container.append(holder);
  }
  const total = groups.reduce((sum, g) => sum + g.allocated, 0);
  const figure = holder.querySelector(".donut-figure");
  const radius = 42;
  const circumference = 2 * Math.PI * radius;
  // The chart container carries the figures as its accessible name (`describeChart`).
  const ring = svg("svg", { viewBox: "0 0 120 120", "aria-hidden": "true" });
  ring.append(svg("circle", { cx: 60, cy: 60, r: radius, fill: "none", stroke: "#e2e8f0", "stroke-width": 18 }));
  let offset = 0;
  groups.forEach((group, index) => {
    const share = total ? group.allocated / total : 0;
    const color = FUNDER_COLORS[group.keys[0]?.value] ?? FALLBACK_COLORS[index % FALLBACK_COLORS.length];
    ring.append(
      svg("circle", {
        cx: 60, cy: 60, r: radius, fill: "none", stroke: color, "stroke-width": 18,
        "stroke-dasharray": `${share * circumference} ${circumference}`,
        "stroke-dashoffset": String(-offset * circumference), transform: "rotate(-90 60 60)",
      }),
    );
    offset += share;
  });
  const centre = svg("text", { x: 60, y: 57, "text-anchor": "middle", class: "donut-total" });
  centre.textContent = wonShort(total);
  const caption = svg("text", { x: 60, y: 74, "text-anchor": "middle", class: "donut-caption" });
  caption.textContent = "총 배정";
  ring.append(centre, caption);
  figure.replaceChildren(ring);
  keyed(
    holder.querySelector(".donut-legend"),
    groups,
    () => {
      const row = el("div", "legend-row");
      row.append(el("i", "dot"), el("span", "legend-label"), el("span", "legend-share"), el("span", "legend-amount"), el("span", "legend-rate"));
      return row;
    },
    (row, group) => {
      const index = groups.indexOf(group);
      row.querySelector(".dot").style.background = FUNDER_COLORS[group.keys[0]?.value] ?? FALLBACK_COLORS[index % FALLBACK_COLORS.length];
      row.querySelector(".legend-label").textContent = labelOf(group);
      row.querySelector(".legend-share").textContent = total ? `${((100 * group.allocated) / total).toFixed(1)}%` : "–";
      row.querySelector(".legend-amount").textContent = wonShort(group.allocated);
      row.querySelector(".legend-rate").textContent = `집행 ${rate(group.executionRate)}`;
      row.title = `${labelOf(group)}\n배정 ${wonFull(group.allocated)}\n집행 ${wonFull(group.executed)}`;
    },
  );
}

// The KPI ring: execution rate as a progress circle.
export function renderRing(container, value) {
  const radius = 30;
  const circumference = 2 * Math.PI * radius;
  const shown = Math.max(0, Math.min(1, value ?? 0));
  const ring = svg("svg", { viewBox: "0 0 80 80", "aria-hidden": "true" }); // #kpi-rate says it in text
  ring.append(
    svg("circle", { cx: 40, cy: 40, r: radius, fill: "none", stroke: "#e2e8f0", "stroke-width": 10 }),
    svg("circle", {
      cx: 40, cy: 40, r: radius, fill: "none", stroke: "#0f766e", "stroke-width": 10, "stroke-linecap": "round",
      "stroke-dasharray": `${shown * circumference} ${circumference}`, transform: "rotate(-90 40 40)",
    }),
  );
  container.replaceChildren(ring);
}

// Text alternatives (KWCAG 2.2 / WCAG 1.1.1): the chart, a role="img", is named with every figure,
// and a "표로 보기" table under it gives the same figures to everyone, by keyboard too.
const HEADINGS = ["구분", "배정액", "집행액", "집행률"];

export function describeChart(container, groups) {
  const card = container.closest(".card");
  const title = card.querySelector("h2").textContent;
  container.setAttribute("role", "img");
  const figures = groups.map(
    (g) => `${labelOf(g)} 배정 ${wonFull(g.allocated)}, 집행 ${wonFull(g.executed)}, 집행률 ${rate(g.executionRate)}`,
  );
  container.setAttribute("aria-label", groups.length ? `${title}: ${figures.join("; ")}` : `${title}: 집계할 예산이 없습니다.`);
  renderTable(card, title, groups);
}

function renderTable(card, title, groups) {
  let table = card.querySelector(".data-table table");
  if (!table) {
    const details = el("details", "data-table");
    details.append(el("summary", "", "표로 보기"));
    table = el("table");
    const caption = el("caption", "", `${title} 배정액·집행액·집행률`);
    const head = el("thead");
    const row = el("tr");
    for (const heading of HEADINGS) {
      const cell = el("th", "", heading);
      cell.scope = "col";
      row.append(cell);
    }
    head.append(row);
    table.append(caption, head, el("tbody"));
    details.append(table);
    card.append(details);
  }
  const rows = groups.map((g) => {
    const row = el("tr");
    const label = el("th", "", labelOf(g));
    label.scope = "row";
    row.append(label, el("td", "", wonFull(g.allocated)), el("td", "", wonFull(g.executed)), el("td", "", rate(g.executionRate)));
    return row;
  });
  table.tBodies[0].replaceChildren(...rows);
}
