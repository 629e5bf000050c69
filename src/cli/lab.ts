// `zdprobe lab run|up|list`: the local rollout lab.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import type { ScenarioResult } from '../lab/scenario/run-scenario.js';
import type { Scenario } from '../lab/scenario/scenario.js';

// The lab is test infrastructure: loaded only by the lab commands, never by `probe` or `report`.
const scenarios = () => import('../lab/scenario/scenario.js');
import { FORMATS, type Format } from '../report/formats.js';
import { writeJson } from './output.js';
import { ZdError } from '../errors.js';

interface RunFlags {
  json?: string;
  record?: string;
  format: Format;
  controlPlane: 'lab' | 'kube';
  engine: 'auto' | 'nginx' | 'builtin';
  node: 'standin' | 'real';
}

const nodeOption = (): Option =>
  new Option('--node <kind>', 'stand-in kubelet, or a real node: kubelet, containerd, kube-proxy in a network namespace (root; see docs/real-node.md)').choices(['standin', 'real']).default('standin');

/** `--node real` from the host: re-run this command inside a fresh real-node namespace and take its exit code. */
async function enteredRealNode(node: 'standin' | 'real', scenario?: Scenario): Promise<boolean> {
  if (node !== 'real') return false;
  const { insideRealNodeNetns } = await import('../lab/real-node/start-real-node.js');
  if (insideRealNodeNetns()) return false;
  const { runInsideRealNode } = await import('../lab/real-node/enter-netns.js');
  const { traefikUnavailable } = await import('../lab/real-node/traefik.js');
  const { argoRolloutsUnavailable } = await import('../lab/real-node/argo-rollouts.js');
  const missing = (): string | undefined =>
    (scenario?.ingress.controller === 'traefik' ? traefikUnavailable() : undefined) ?? (scenario?.controllers.includes('argo-rollouts') ? argoRolloutsUnavailable() : undefined);
  process.exitCode = await runInsideRealNode({ args: process.argv.slice(2), log: (l) => process.stderr.write(`[lab] ${l}\n`), missing });
  return true;
}

export function registerLab(program: Command): void {
  const lab = program.command('lab').description('a local cluster on loopback that reproduces real rollout incidents');
  lab
    .command('run')
    .description('run a scenario with the prober and watcher attached; exit 0 only when its expectations held')
    .argument('<scenario>', 'scenario name (see `zdprobe lab list`) or a path to a scenario YAML')
    .option('--json <file>', 'write the run\'s summary (every probe a target) as JSON')
    .option('--record <file>', 'write the run\'s recording (every probe a target) as NDJSON')
    .addOption(new Option('--format <format>', 'report format on stdout').choices(FORMATS).default('table'))
    .addOption(new Option('--control-plane <kind>', 'the lab API server, or the real kube-apiserver (needs test/kube/build.sh)').choices(['lab', 'kube']).default('lab'))
    .addOption(new Option('--engine <engine>', 'ingress engine').choices(['auto', 'nginx', 'builtin']).default('auto'))
    .addOption(nodeOption())
    .action(async (name: string, flags: RunFlags) => {
      const { loadScenario } = await scenarios();
      const scenario = loadScenario(name);
      if (scenario.realNodeOnly && flags.node !== 'real') throw new ZdError('usage', `scenario ${scenario.name} runs only with --node real: the stand-in kubelet has no OOM killer or Eviction API`);
      if (await enteredRealNode(flags.node, scenario)) return;
      const { runScenario } = await import('../lab/scenario/run-scenario.js');
      const tables = await import('./lab-report.js');
      const { value: result, interrupted } = await withAbort((signal) =>
        runScenario(scenario, { controlPlane: flags.controlPlane, engine: flags.engine, node: flags.node, ...(flags.record ? { record: flags.record } : {}), signal, log: (l) => process.stderr.write(`[lab] ${l}\n`) }),
      );
      // one run of all the probes (a plan): its report shows each probe as a target
      process.stdout.write(tables.render(result.summary, flags.format));
      if (flags.json) writeJson(flags.json, result.summary);
      // a cut-short run proves nothing either way: judging it would print a false verdict
      if (interrupted) {
        process.stdout.write(`Scenario ${result.scenario}: interrupted; its expectations were not judged\n`);
        process.exitCode = 130;
        return;
      }
      process.stdout.write(tables.renderChecks(result));
      process.exitCode = result.passed ? 0 : 1;
    });
  lab
    .command('list')
    .description('list the scenarios')
    .action(async () => {
      const { listScenarios, loadScenario } = await scenarios();
      for (const name of listScenarios()) process.stdout.write(`${name.padEnd(34)} ${loadScenario(name).description.split('. ')[0]}\n`);
    });
  lab
    .command('up')
    .description('start a lab and keep it running for kubectl (Ctrl-C tears it down)')
    .option('--scenario <name>', "apply this scenario's manifests")
    .addOption(new Option('--control-plane <kind>', 'API server kind').choices(['lab', 'kube']).default('lab'))
    .addOption(nodeOption())
    .action(async (flags: { scenario?: string; controlPlane: 'lab' | 'kube'; node: 'standin' | 'real' }) => {
      const { listScenarios, loadScenario } = await scenarios();
      const scenario = flags.scenario ? loadScenario(flags.scenario) : undefined;
      if (await enteredRealNode(flags.node, scenario)) return;
      const { startLab } = await import('../lab/start-lab.js');
      const { applyAll, objectApi } = await import('../lab/scenario/run-steps.js');
      // The directory holds the kubeconfig and its admin token: it never outlives the lab.
      const real = flags.node === 'real' ? await import('../lab/real-node/scenario.js') : undefined;
      const images = real ? (scenario ? real.scenarioImages(scenario) : listScenarios().flatMap((n) => real.scenarioImages(loadScenario(n)))) : [];
      const dir = mkdtempSync(join(tmpdir(), 'zdprobe-lab-'));
      const stopped = new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
      try {
        const lab = await startLab({ dir, controlPlane: flags.controlPlane, node: flags.node, images, ...(scenario?.ingress.controller ? { controller: scenario.ingress.controller } : {}), ...(scenario ? { controllers: scenario.controllers } : {}), log: (l) => process.stderr.write(`[lab] ${l}\n`) });
        try {
          if (scenario) await applyAll(objectApi(lab.kubeconfig), (real ? real.forRealNode(scenario) : scenario).manifests);
          const enter = real ? `  (inside the namespace: nsenter --net=/run/netns/zdprobe-real kubectl --kubeconfig ${lab.kubeconfig} get pods)\n` : '';
          process.stdout.write(`lab up (${lab.node === 'real' ? 'real node' : `${lab.controlPlane} control plane`}, ${lab.engine} ingress)\n  export KUBECONFIG=${lab.kubeconfig}\n${enter}  ingress: ${lab.ingressUrl}\nCtrl-C to tear it down.\n`);
          await stopped;
        } finally {
          await lab.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      process.stdout.write(`lab down; removed ${dir}\n`);
    });
}

/** First Ctrl-C aborts the run (it still reports and tears down); the lab never outlives us. */
export async function withAbort<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<{ value: T; interrupted: boolean }> {
  const ac = new AbortController();
  const onSignal = (): void => {
    process.stderr.write('\nzdprobe: stopping the lab run; reporting and tearing down\n');
    ac.abort();
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    const value = await fn(ac.signal);
    return { value, interrupted: ac.signal.aborted };
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

