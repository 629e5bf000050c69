// Times as a reader of a report wants them: wall clock with milliseconds, and offset from start.

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function clockTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export const offset = (epochMs: number, startedAt: number): string => `+${((epochMs - startedAt) / 1000).toFixed(2)}s`;

export const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;

export const kindsText = (kinds: Record<string, number>): string =>
  Object.entries(kinds)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${n}× ${k}`)
    .join(', ');
