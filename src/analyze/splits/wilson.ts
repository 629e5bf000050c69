// Wilson score interval: a binomial proportion's confidence interval that behaves at 0%, 100% and small n.

/** z for a two-sided 99% interval. */
export const Z99 = 2.5758;

/**
 * z for a two-sided 99.9% interval: the pass/fail decision. A CI run checks dozens of windows
 * (every scenario on two control planes), so at 99% about one honest split in a hundred would
 * fail by chance alone; one was seen failing that way in a clean CI run.
 */
export const Z999 = 3.2905;

/** Bounds of the share k/n, as fractions in [0, 1]. */
export function wilson(k: number, n: number, z = Z99): [number, number] {
  if (n <= 0) return [0, 1];
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return [Math.max(0, center - half), Math.min(1, center + half)];
}
