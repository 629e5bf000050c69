// The gate's checks one by one (the gate itself only lists reasons), so JUnit can show each.
import type { GateCheck, GateConfig, Summary } from '../types.js';

interface CheckDef {
  name: (g: GateConfig) => string;
  configured: (g: GateConfig, s: Summary) => boolean;
  reason: RegExp;
}

const pct = (x: number): string => `${(x * 100).toFixed(3)}%`;

const CHECKS: CheckDef[] = [
  { name: (g) => `at most ${g.maxFailures} dropped request(s)`, configured: () => true, reason: /dropped; allowed/ },
  { name: (g) => `failure rate at most ${pct(g.maxFailureRate ?? 0)}`, configured: (g) => g.maxFailureRate !== undefined, reason: /^failure rate/ },
  { name: (g) => `p99 latency at most ${g.maxP99Ms} ms`, configured: (g) => g.maxP99Ms !== undefined, reason: /^p99 latency/ },
  { name: (g) => `final traffic is 100% version ${g.expectVersion}`, configured: (g) => g.expectVersion !== undefined, reason: /^final .* version/ },
  { name: () => 'the wrapped command succeeded', configured: (_g, s) => s.command !== undefined, reason: /wrapped command/ },
  { name: () => 'requests were scheduled', configured: () => true, reason: /no request was scheduled/ },
];

export function gateChecks(gate: GateConfig, s: Summary): GateCheck[] {
  const out: GateCheck[] = [];
  for (const c of CHECKS) {
    const reason = s.gate.reasons.find((r) => c.reason.test(r));
    if (!c.configured(gate, s) && reason === undefined) continue;
    out.push(reason === undefined ? { name: c.name(gate), passed: true } : { name: c.name(gate), passed: false, reason });
  }
  // A reason no check claims still deserves its own failed check.
  for (const r of s.gate.reasons) {
    if (!CHECKS.some((c) => c.reason.test(r))) out.push({ name: r, passed: false, reason: r });
  }
  return out;
}
