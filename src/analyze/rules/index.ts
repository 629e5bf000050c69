// The rule engine shared by `zdprobe lint` (files) and the report's config audit (live objects).
import type { Finding, SourcedObject } from '../../types.js';
import { buildIndex } from './index-objects.js';
import { severityRank, type Rule, type RuleInfo } from './rule.js';
import { vsMissingFallback, vsWeightsSum } from './istio-routes.js';
import { drSubsetNoWorkload, vsUnknownSubset } from './istio-subsets.js';
import { svcSelectsVersion } from './service-selector.js';
import { deployGraceTooShort, deployNoPrestop, deployNoReadiness } from './pod-lifecycle.js';
import { deployMaxUnavailable } from './rollout-strategy.js';
import { rolloutStepsDecreasing } from './rollout-steps.js';

export type { Rule, RuleInfo } from './rule.js';

export const RULES: readonly Rule[] = [
  vsMissingFallback,
  vsUnknownSubset,
  drSubsetNoWorkload,
  vsWeightsSum,
  svcSelectsVersion,
  deployNoReadiness,
  deployNoPrestop,
  deployMaxUnavailable,
  deployGraceTooShort,
  rolloutStepsDecreasing,
];

/** The documented face of every rule, without the check (for docs, SARIF and --help). */
export function ruleInfos(): RuleInfo[] {
  return RULES.map(({ id, severity, title, description, bad, good }) => ({ id, severity, title, description, bad, good }));
}

// Objects without a file (live objects) keep input order; file findings read top to bottom.
function byPlace(a: Finding, b: Finding): number {
  return (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0)
    || severityRank(a.severity) - severityRank(b.severity);
}

/** Runs every rule (or the given ones) over one set of objects; never throws on odd objects. */
export function runRules(objects: SourcedObject[], rules: readonly Rule[] = RULES): Finding[] {
  const ix = buildIndex(objects.filter((o) => o.obj && typeof o.obj === 'object'));
  const found = rules.flatMap((rule) => rule.check(ix));
  return found.map((f, i) => ({ f, i }))
    .sort((a, b) => byPlace(a.f, b.f) || a.i - b.i)
    .map(({ f }) => f);
}
