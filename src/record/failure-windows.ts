// Groups failures into contiguous bursts: a failure within `gapMs` of a window joins it.
// Failures arrive in completion order, not intended order, so windows are merged as they grow.
import type { FailureWindow, Sample } from '../types.js';

import { resultOf } from '../classify/classify.js';

export function addToWindows(windows: FailureWindow[], s: Sample, gapMs = 1000): void {
  const at = s.intended;
  const i = windows.findIndex((w) => at >= w.start - gapMs && at <= w.end + gapMs);
  const w = i >= 0 ? windows[i]! : { start: at, end: at, count: 0, kinds: {}, modes: {} };
  if (i < 0) windows.push(w);
  w.start = Math.min(w.start, at);
  w.end = Math.max(w.end, at);
  w.count += 1;
  const kind = resultOf(s);
  w.kinds[kind] = (w.kinds[kind] ?? 0) + 1;
  w.modes[s.mode] = (w.modes[s.mode] ?? 0) + 1;
  windows.sort((a, b) => a.start - b.start);
  mergeOverlapping(windows, gapMs);
}

function mergeOverlapping(windows: FailureWindow[], gapMs: number): void {
  for (let i = 1; i < windows.length; ) {
    const prev = windows[i - 1]!;
    const cur = windows[i]!;
    if (cur.start > prev.end + gapMs) {
      i += 1;
      continue;
    }
    prev.end = Math.max(prev.end, cur.end);
    prev.count += cur.count;
    for (const [k, n] of Object.entries(cur.kinds)) prev.kinds[k] = (prev.kinds[k] ?? 0) + n;
    for (const [k, n] of Object.entries(cur.modes) as Array<[keyof FailureWindow['modes'], number]>) prev.modes[k] = (prev.modes[k] ?? 0) + n;
    windows.splice(i, 1);
  }
}
