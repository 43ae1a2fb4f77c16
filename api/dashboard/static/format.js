// Korean money and rate formatting. Won are whole numbers (exact in JS up to 2^53).
const grouped = new Intl.NumberFormat("ko-KR");
const EOK = 100_000_000; // 억
const MAN = 10_000; // 만

export function wonFull(won) {
  return `${grouped.format(won)}원`;
}

// Short form for charts: 12.3억원, 4,500만원, 9,000원.
export function wonShort(won) {
  const size = Math.abs(won);
  if (size >= EOK) {
    const eok = won / EOK;
    return `${eok >= 100 ? grouped.format(Math.round(eok)) : eok.toFixed(1).replace(/\.0$/, "")}억원`;
  }
  if (size >= MAN) return `${grouped.format(Math.round(won / MAN))}만원`;
  return wonFull(won);
}

export function rate(value) {
  return value === null || value === undefined ? "–" : `${(value * 100).toFixed(1)}%`;
}

export function clock(date) {
  return date.toLocaleTimeString("ko-KR", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

export function ago(seconds) {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))}초 전`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}분 전`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)}시간 전`;
  return `${Math.round(seconds / 86400)}일 전`;
}
