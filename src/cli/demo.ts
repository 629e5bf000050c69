// `zdprobe demo`: a bad rollout and its fixed twin, side by side in two labs, in under a minute.
import type { Command } from 'commander';
import type { ScenarioResult } from '../lab/scenario/run-scenario.js';
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
      const tables = await import('./lab-report.js');
      process.stdout.write(`\n== ${PAIR[0]}\n${tables.renderTerminal(bad)}`);
      process.stdout.write(`\n${tables.compare(results)}`);
      process.exitCode = results.every((r) => r.passed) ? 0 : 1;
    });
}

