// `zdprobe job`: its output is YAML that the real kube-apiserver accepts (server-side dry run with
// strict field validation), an Indexed Job of N pods spread over nodes, each at 1/N of the rate.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { startKubeControlPlane, type KubeControlPlane } from '../../src/lab/kube/control-plane.js';
import { httpCall } from '../../src/lab/kube/wait-ready.js';
import { skipUnlessBuilt, tokenOf } from '../lab/kube/env.js';

const tmp = mkdtempSync(join(tmpdir(), 'zdprobe-job-'));
const plan = join(tmp, 'plan.yaml');
writeFileSync(plan, 'duration: 30s\nenv:\n  API_TOKEN: {secret: shop-probe, key: token}\ntargets:\n  - {name: api, url: "http://web.shop.svc/", rps: 40, headers: {Authorization: "Bearer ${API_TOKEN}"}}\n');

type Doc = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [k: string]: unknown };

async function render(args: string[]): Promise<{ docs: Doc[]; collect: string }> {
  const r = await runCli(['job', ...args]);
  assert.equal(r.code, 0, r.stderr);
  const docs = parseAllDocuments(r.stdout).map((d) => {
    assert.deepEqual(d.errors, [], 'valid YAML');
    return d.toJS() as Doc;
  });
  return { docs, collect: r.stderr };
}

const jobOf = (docs: Doc[]) => docs.find((d) => d.kind === 'Job') as unknown as {
  spec: { completionMode: string; parallelism: number; completions: number; template: { metadata: { annotations: Record<string, string> }; spec: { topologySpreadConstraints: Array<{ whenUnsatisfiable: string }>; containers: Array<{ args: string[]; env: Array<{ name: string; valueFrom: Record<string, unknown> }> }> } } };
};

it('renders RBAC, the plan and an Indexed Job of N pods, each at 1/N of the rate, secrets by reference', async () => {
  const { docs, collect } = await render(['--plan', plan, '-n', 'shop', '--parallelism', '3', '--', '--deployment', 'web']);
  assert.deepEqual(docs.map((d) => d.kind), ['ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'Job']);
  assert.ok(docs.every((d) => d.kind.startsWith('Cluster') || d.metadata.namespace === 'shop'), 'namespaced objects are in shop');
  const job = jobOf(docs);
  assert.equal(job.spec.completionMode, 'Indexed');
  assert.equal(job.spec.parallelism, 3);
  assert.equal(job.spec.template.spec.topologySpreadConstraints[0]!.whenUnsatisfiable, 'ScheduleAnyway');
  assert.equal(job.spec.template.metadata.annotations['sidecar.istio.io/inject'], 'false');
  const c = job.spec.template.spec.containers[0]!;
  assert.deepEqual(c.args.slice(c.args.indexOf('--shard'), c.args.indexOf('--shard') + 2), ['--shard', '$(ZDPROBE_INDEX)/3']);
  assert.deepEqual(c.args.slice(-2), ['--deployment', 'web']);
  assert.deepEqual(c.env.find((e) => e.name === 'API_TOKEN')?.valueFrom, { secretKeyRef: { name: 'shop-probe', key: 'token' } });
  assert.match(collect, /kubectl -n shop logs -l zdprobe\.dev\/job=zdprobe --prefix --tail=-1 .*\| zdprobe merge --from-logs -/);
});

it('a job without an end, or with flags it sets itself, is refused: one line, exit 2', async () => {
  for (const [args, why] of [
    [['http://web.shop.svc/'], /a Job must end/],
    [['http://web.shop.svc/', '--', '-d', '1m', '--record', 'x'], /set by zdprobe job/],
    [['http://web.shop.svc/', '--parallelism', '0', '--', '-d', '1m'], /--parallelism/],
  ] as const) {
    const r = await runCli(['job', ...args]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, why);
  }
});

describe('the real kube-apiserver accepts it', { skip: skipUnlessBuilt, timeout: 300_000 }, () => {
  let dir = '';
  let cp: KubeControlPlane | undefined;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zdprobe-job-kube-'));
    cp = await startKubeControlPlane({ dir, startTimeoutMs: 180_000 });
  });
  after(async () => {
    await cp?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('every object passes a server-side dry run with strict field validation', async () => {
    const token = tokenOf(cp!.kubeconfig);
    const ns = await httpCall(`${cp!.url}/api/v1/namespaces`, { method: 'POST', token, body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }) });
    assert.equal(ns.status, 201, ns.body);
    for (const args of [['--plan', plan, '-n', 'shop', '--parallelism', '2'], ['http://web/', '-n', 'shop', '--output-volume', 'recs', '--metrics-port', '9464', '--', '-d', '1m']]) {
      const { docs } = await render(args);
      for (const d of docs) {
        const group = d.apiVersion.includes('/') ? `/apis/${d.apiVersion}` : `/api/${d.apiVersion}`;
        const path = `${group}${d.metadata.namespace ? `/namespaces/${d.metadata.namespace}` : ''}/${d.kind.toLowerCase()}s?dryRun=All&fieldValidation=Strict`;
        const r = await httpCall(`${cp!.url}${path}`, { method: 'POST', token, body: JSON.stringify(d), timeoutMs: 20_000 });
        assert.equal(r.status, 201, `${d.kind} ${d.metadata.name}: ${r.body.slice(0, 400)}`);
      }
    }
  });
});
