// `zdprobe demo`: a bad rollout and its fixed twin, side by side in two labs, in under a minute.
import type { Command } from 'commander';
import Table from 'cli-table3';
import type { ScenarioResult } from '../lab/scenario/run-scenario.js';
import { renderTerminal } from '../report/terminal.js';
import { kindsText } from '../format-time.js';
import { withAbort } from './lab.js';

const PAIR = ['rolling-update-no-prestop', 'rolling-update-graceful'] as const;

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(`run ${PAIR[0]} and its fixed twin ${PAIR[1]} side by side in the local lab`)
    .action(async () => {
      const { runScenario } = await import('../lab/scenario/run-scenario.js');
      const { loadScenario } = await import('../lab/scenario/scenario.js');
      process.stderr.write(`zdprobe demo: the same rolling update twice, at 30 requests/s through an ingress.\n  left:  ${PAIR[0]} (no preStop hook, app exits on SIGTERM)\n  right: ${PAIR[1]} (readinessProbe, preStop sleep, graceful drain)\n`);
      const { value: results, interrupted } = await withAbort((signal) =>
        Promise.all(PAIR.map((name) => runScenario(loadScenario(name), { signal, log: (l) => process.stderr.write(`[${name}] ${l}\n`) }))),
      );
      if (interrupted) {
        // half a rollout proves nothing: no report, no verdict on the expectations
        process.stdout.write('zdprobe demo: interrupted; the labs are torn down and nothing was judged\n');
        process.exitCode = 130;
        return;
      }
      const bad = results[0]!.probes[0]!.summary;
      process.stdout.write(`\n== ${PAIR[0]}\n${renderTerminal(bad)}`);
      process.stdout.write(`\n${compare(results)}`);
      process.exitCode = results.every((r) => r.passed) ? 0 : 1;
    });
}

function compare(results: ScenarioResult[]): string {
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
