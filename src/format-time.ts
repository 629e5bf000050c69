// Times as a reader of a report wants them: wall clock with milliseconds, and offset from start.
// Always UTC: a report read in another zone (a CI log, a postmortem) must mean the same instant;
// each report names the zone and the date once, next to the start time.

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function clockTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/** "2026-12-01 14:39:46.601 UTC" */
export function dateTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 10)} ${clockTime(epochMs)} UTC`;
}

export const offset = (epochMs: number, startedAt: number): string => `+${((epochMs - startedAt) / 1000).toFixed(2)}s`;

export const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;

export const kindsText = (kinds: Record<string, number>): string =>
  Object.entries(kinds)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${n}× ${k}`)
    .join(', ');
