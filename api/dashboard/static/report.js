// Reports: the chosen summary as an XLSX file (GET /reports/<summary>.xlsx), and the A4 print view.
const TOKEN_KEY = "eduhub.token"; // the key app.js keeps the partner token under (this tab only)
const $ = (id) => document.getElementById(id);

// RFC 5987: filename*=UTF-8''%EC%98%88... carries the Korean name; filename="..." the ASCII one.
function filenameOf(response) {
  const header = response.headers.get("Content-Disposition") || "";
  const encoded = /filename\*=UTF-8''([^;\s]+)/i.exec(header);
  if (encoded) return decodeURIComponent(encoded[1]);
  return /filename="([^"]+)"/.exec(header)?.[1] ?? "report.xlsx";
}

async function download(event) {
  event.preventDefault();
  const message = $("report-message");
  const params = new URLSearchParams({ groupBy: $("report-group").value, unit: $("report-unit").value });
  const token = sessionStorage.getItem(TOKEN_KEY);
  // The token goes in the header as for /graphql, never in the URL (it would reach logs and history).
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  message.textContent = "보고서를 만드는 중…";
  try {
    const response = await fetch(`/reports/${$("report-kind").value}.xlsx?${params}`, { headers });
    if (!response.ok) {
      const body = await response.json().catch(() => null);
      message.textContent = body?.errors?.[0]?.message ?? `보고서를 만들 수 없습니다 (HTTP ${response.status}).`;
      return;
    }
    const link = document.createElement("a");
    link.href = URL.createObjectURL(await response.blob());
    link.download = filenameOf(response);
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    message.textContent = `내려받았습니다: ${link.download}`;
  } catch (error) {
    message.textContent = "서버에 연결할 수 없어 보고서를 내려받지 못했습니다.";
  }
}

// Sessions have no funder: the 운영 실적 report offers only the groupings it has.
function offerGroupings() {
  const activity = $("report-kind").value === "activity-summary";
  const group = $("report-group");
  for (const option of group.options) option.disabled = activity && option.value.includes("FUNDER");
  if (group.selectedOptions[0]?.disabled) group.value = "PROGRAM";
}

// The printed page says when its figures were taken, and prints every chart's table open.
const opened = [];
function stamp() {
  const now = new Date().toLocaleString("ko-KR", { timeZone: "Asia/Seoul", dateStyle: "long", timeStyle: "medium" });
  $("print-stamp").textContent = `인쇄 기준 시각: ${now} (한국 표준시) · 금액은 원 단위`;
}
function beforePrint() {
  stamp();
  for (const details of document.querySelectorAll(".data-table:not([open])")) {
    details.open = true;
    opened.push(details);
  }
}
function afterPrint() {
  for (const details of opened.splice(0)) details.open = false;
}

stamp();
$("report-form").addEventListener("submit", download);
$("report-kind").addEventListener("change", offerGroupings);
$("report-print").addEventListener("click", () => window.print());
window.addEventListener("beforeprint", beforePrint);
window.addEventListener("afterprint", afterPrint);
// Also when printing is emulated (no beforeprint event): a print stylesheet alone shows the stamp.
matchMedia("print").addEventListener("change", (event) => (event.matches ? beforePrint() : afterPrint()));
