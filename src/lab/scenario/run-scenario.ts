// Runs one scenario end to end: lab up, manifests applied, probes and watcher attached, steps
// executed, settle, analysis, expectations checked, lab torn down (also on error or abort).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import type { ProbeConfig, Summary } from '../../types.js';
import type { Scenario, ScenarioProbe } from './scenario.js';
import { startLab, type ControlPlaneKind, type IngressEngine, type Lab, type NodeKind } from '../start-lab.js';
import { startServiceProxy, type ServiceProxy } from '../service-proxy.js';
import { applyAll, objectApi, runStep, sleep } from './run-steps.js';
import { checkExpectations, type Check } from './expect.js';
import { probeView } from './probe-view.js';
import { openRecordWriter, probeConfig as fullConfig, startRun, type RecordWriter } from '../../run/index.js';

export interface ScenarioOptions {
  controlPlane?: ControlPlaneKind;
  /** `real` runs on a real kubelet, containerd and kube-proxy; the process must already be in the real node's namespace. */
  node?: NodeKind;
  engine?: 'auto' | 'nginx' | 'builtin';
  /** Recording path of the scenario's one run (all its probes, as one plan). */
  record?: string;
  log?(line: string): void;
  signal?: AbortSignal;
  keepDir?: boolean;
}

export interface ProbeResult {
  probe: ScenarioProbe;
  /** This probe's part of the run's summary (probeView): its own counts, incidents, splits and checks. */
  summary: Summary;
  checks: Check[];
}

export interface ScenarioResult {
  scenario: string;
  engine: IngressEngine;
  controlPlane: ControlPlaneKind;
  node: NodeKind;
  passed: boolean;
  /** The one run's summary: every probe is a target of one plan. */
  summary: Summary;
  probes: ProbeResult[];
}

export function probeConfig(p: ScenarioProbe, ingressUrl: string): ProbeConfig {
  return fullConfig({
    name: p.name,
    url: new URL(p.path, ingressUrl).href,
    rps: p.rps,
    timeoutMs: p.timeoutMs,
    connection: p.connection,
    ...(p.method ? { method: p.method } : {}),
    headers: { ...(p.host ? { Host: p.host } : {}), ...p.headers },
    // A scenario's headers select routes (end-user, version): shown, so split checks can match them.
    showHeaders: Object.keys(p.headers),
    instanceFrom: { kind: 'header', name: 'x-pod-name' },
    gate: { maxFailures: 0, ...(p.expect.finalVersion ? { expectVersion: p.expect.finalVersion } : {}) },
  });
}

/** The scenario's probes as one plan: a target per probe, named after it (the CLI's --plan builds the same). */
export function scenarioPlan(sc: Scenario, bases: string[]): { targets: ProbeConfig[] } {
  return { targets: sc.probes.map((p, i) => probeConfig(p, bases[i]!)) };
}

async function serves(p: ScenarioProbe, ingressUrl: string): Promise<boolean> {
  const cfg = probeConfig(p, ingressUrl);
  // A scenario whose app answers slowly on purpose (abrupt-shutdown) serves within its probe's own timeout.
  const waitMs = Math.max(2000, p.timeoutMs);
  const res = await request(cfg.url, { headers: cfg.headers, headersTimeout: waitMs, bodyTimeout: waitMs });
  await res.body.dump();
  return res.statusCode >= 200 && res.statusCode < 400;
}

export async function runScenario(sc: Scenario, opts: ScenarioOptions = {}): Promise<ScenarioResult> {
  const log = opts.log ?? (() => undefined);
  const real = opts.node === 'real' ? await import('../real-node/scenario.js') : undefined;
  if (real) sc = real.forRealNode(sc);
  const dir = mkdtempSync(join(tmpdir(), `zdprobe-lab-${sc.name}-`));
  let lab: Lab | undefined;
  const writers: RecordWriter[] = [];
  const stop = new AbortController(); // an error or Ctrl-C: requests in flight are cut (unfinished)
  const end = new AbortController(); // the planned end: requests in flight finish
  let runs: Array<Promise<Summary>> = [];
  const proxies: ServiceProxy[] = [];
  try {
    lab = await startLab({ dir, ...(opts.controlPlane ? { controlPlane: opts.controlPlane } : {}), engine: opts.engine ?? 'auto', ...sc.ingress, controllers: sc.controllers, ...(real ? { node: 'real', images: real.scenarioImages(sc), log } : {}) });
    log(`lab up: ${lab.node === 'real' ? 'real node (kubelet, containerd, kube-proxy)' : lab.controlPlane === 'kube' ? 'real kube-apiserver' : 'lab API server'}, ingress ${lab.engine} at ${lab.ingressUrl}${lab.engine === 'builtin' ? ' (built-in: answers as each route\'s real proxy)' : ''}`);
    const api = objectApi(lab.kubeconfig);
    const kubeconfig = lab.kubeconfig;
    await applyAll(api, sc.manifests);
    // A probe with `service` goes through an L4 service proxy (conntrack-like) instead of the ingress;
    // on the real node it goes to the Service's ClusterIP, through kube-proxy.
    const bases = await Promise.all(sc.probes.map(async (p) => {
      if (!p.service) return lab!.ingressUrl;
      if (real) return real.clusterIpUrl(kubeconfig, p.service);
      const proxy = await startServiceProxy({ kubeconfig, namespace: 'default', service: p.service, propagationDelayMs: sc.serviceProxy.propagationDelayMs, addressMap: lab!.addressMap });
      proxies.push(proxy);
      return proxy.url;
    }));
    const services = real ? real.serviceNames(sc) : [];
    const probesServe = async (): Promise<boolean> => (await Promise.all(sc.probes.map((p, i) => serves(p, bases[i]!)))).every(Boolean);
    // On the real node kube-proxy may still be programming a Service after the rollout is done.
    const serving = async (): Promise<boolean> => (await probesServe()) && (!real || (await real.servicesAnswer(kubeconfig, services)));
    const argoRollouts = sc.manifests.filter((o) => o.kind === 'Rollout' && o.apiVersion?.startsWith('argoproj.io/')).map((o) => o.metadata?.name ?? '');
    const ctx = { kubeconfig, log, ...(opts.signal ? { signal: opts.signal } : {}), stableMs: lagOf(sc) + 1000, serving, argoRollouts };
    await runStep({ wait: { ready: true } }, ctx, api);
    log('workloads ready; probing');
    // All probes are one run of the product: one plan, one watcher, one recording.
    const writer = opts.record ? openRecordWriter(opts.record) : undefined;
    if (writer) writers.push(writer);
    let onStarted!: () => void;
    const started = new Promise<void>((resolve) => (onStarted = resolve));
    const run = startRun({
      plan: scenarioPlan(sc, bases),
      scope: { kubeconfig, namespace: 'default', ...sc.watch },
      signal: stop.signal,
      end: end.signal,
      onStarted,
      ...(writer ? { writer } : {}),
    });
    run.catch(() => onStarted()); // a run that fails to start must not leave the steps waiting
    runs = [run];
    await started;
    for (const [i, step] of sc.steps.entries()) {
      if (opts.signal?.aborted) break;
      log(`step ${i + 1}/${sc.steps.length}: ${describeStep(step)}`);
      await runStep(step, ctx, api);
    }
    await sleep(sc.settleMs, opts.signal);
    // Requests the scenario's own end would cut are not the rollout's failures: they may finish.
    (opts.signal?.aborted ? stop : end).abort();
    const summary = await run;
    const probes = sc.probes.map((probe) => {
      const view = probeView(summary, probe.name);
      return { probe, summary: view, checks: checkExpectations(probe.expect, view) };
    });
    const passed = !opts.signal?.aborted && probes.every((p) => p.checks.every((c) => c.passed));
    return { scenario: sc.name, engine: lab.engine, controlPlane: lab.controlPlane, node: lab.node, passed, summary, probes };
  } finally {
    // On an error mid-run the probes must stop too, or their schedules would keep the process alive.
    stop.abort();
    await Promise.all(runs.map((r) => r.catch(() => undefined)));
    writers.forEach((w) => w.close());
    await Promise.all(proxies.map((p) => p.close()));
    await lab?.close();
    if (!opts.keepDir) rmSync(dir, { recursive: true, force: true });
  }
}

/** The longest lag of the proxies the probes go through: the ingress, and the Service proxy if a probe uses it. */
function lagOf(sc: Scenario): number {
  const viaService = sc.probes.some((p) => p.service);
  return Math.max(sc.ingress.propagationDelayMs, viaService ? sc.serviceProxy.propagationDelayMs : 0);
}

function describeStep(step: object): string {
  const [kind, arg] = Object.entries(step)[0] ?? ['?', ''];
  if (kind === 'apply') return `apply ${(arg as Array<{ kind?: string; metadata?: { name?: string } }>).map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')}`;
  if (kind === 'sleep') return `sleep ${Number(arg) / 1000} s`;
  return `${kind} ${JSON.stringify(arg)}`;
}
