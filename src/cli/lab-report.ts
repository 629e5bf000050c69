// The lab's and the demo's own tables (expectations, the side-by-side verdict), loaded with them only.
import Table from 'cli-table3';
import type { ScenarioResult } from '../lab/scenario/run-scenario.js';
import { kindsText } from '../format-time.js';

export { render } from '../report/index.js';
export { renderTerminal } from '../report/terminal.js';

export function renderChecks(r: ScenarioResult): string {
  const t = new Table({ head: ['probe', 'expectation', 'result', 'detail'], style: { head: [], border: [] } });
  for (const p of r.probes) for (const c of p.checks) t.push([p.probe.name, c.name, c.passed ? 'ok' : 'FAILED', c.detail]);
  return `${t.toString()}\nScenario ${r.scenario} (${r.node === 'real' ? 'real node' : `${r.controlPlane} control plane`}, ${r.engine} ingress): ${r.passed ? 'EXPECTATIONS MET' : 'EXPECTATIONS NOT MET'}\n`;
}

/** The demo's bad and fixed rollout side by side. */
export function compare(results: ScenarioResult[]): string {
  const t = new Table({ head: ['scenario', 'requests', 'dropped', 'what failed', 'causes named', 'gate'], style: { head: [], border: [] } });
  for (const r of results) {
    const s = r.probes[0]!.summary;
    const kinds: Record<string, number> = {};
    for (const w of s.failureWindows) for (const [k, n] of Object.entries(w.kinds)) kinds[k] = (kinds[k] ?? 0) + n;
    const causes = [...new Set(s.incidents.flatMap((i) => i.causes.map((c) => c.id)))].join(', ') || '-';
    t.push([r.scenario, s.totals.scheduled, s.totals.failed + s.totals.late, kindsText(kinds) || '-', causes, s.gate.passed ? 'passed' : 'FAILED']);
  }
  const verdict = results.every((r) => r.passed) ? 'Both labs behaved as their scenarios expect.' : 'A lab did not behave as its scenario expects (see above).';
  return `${t.toString()}\n${verdict}\n`;
}
