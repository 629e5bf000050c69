// Rate accuracy from the server's own clock: the nginx access-log times of one run.

export const TOLERANCE = 0.01;

/**
 * count vs rps·durS, the rate over the span first..last request, the worst whole second and
 * the burstiness inside seconds (coefficient of variation of 100 ms counts).
 */
export function serverRate(timesMs, rps, durS) {
  const t = [...timesMs].sort((a, b) => a - b);
  const n = t.length;
  const expected = rps * durS;
  const out = { count: n, expected, countErr: n / expected - 1 };
  if (n < 2) return { ...out, spanRate: undefined, rateErr: undefined, worstSecondErr: undefined, cv100: undefined };
  const first = t[0];
  const spanS = (t[n - 1] - first) / 1000;
  out.spanRate = (n - 1) / spanS;
  out.rateErr = out.spanRate / rps - 1;
  out.worstSecondErr = rps >= 100 ? worstSecond(t, first, rps, spanS) : undefined;
  // The first second carries each tool's start-up (JIT, first connections); this separates that from pacing.
  out.worstLaterSecondErr = rps >= 100 ? worstSecond(t, first, rps, spanS, 1) : undefined;
  out.cv100 = rps >= 1000 ? cvOfSlices(t, first, spanS, 100) : undefined;
  return out;
}

/** Largest relative miss of one whole second, from the first request on (partial last second excluded). */
function worstSecond(t, first, rps, spanS, skip = 0) {
  const full = Math.floor(spanS);
  if (full < 1 + skip) return undefined;
  const counts = sliceCounts(t, first, full, 1000).slice(skip);
  return counts.reduce((worst, c) => (Math.abs(c / rps - 1) > Math.abs(worst) ? c / rps - 1 : worst), 0);
}

function cvOfSlices(t, first, spanS, sliceMs) {
  const slices = Math.floor((spanS * 1000) / sliceMs);
  if (slices < 2) return undefined;
  const counts = sliceCounts(t, first, slices, sliceMs);
  const mean = counts.reduce((a, b) => a + b, 0) / slices;
  const variance = counts.reduce((a, c) => a + (c - mean) ** 2, 0) / slices;
  return Math.sqrt(variance) / mean;
}

function sliceCounts(t, first, slices, sliceMs) {
  const counts = new Array(slices).fill(0);
  for (const x of t) {
    const i = Math.floor((x - first) / sliceMs);
    if (i < slices) counts[i] += 1;
  }
  return counts;
}

/**
 * Held the asked rate: the count within the tolerance (or one request, for short slow cells where 1%
 * is less than one) and the rate over the span within the tolerance.
 */
export const heldRate = (acc) =>
  acc.rateErr !== undefined && Math.abs(acc.count - acc.expected) <= Math.max(1, TOLERANCE * acc.expected) && Math.abs(acc.rateErr) <= TOLERANCE;
