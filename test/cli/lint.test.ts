// `zdprobe lint` end to end: the real CLI as a child process, real files, real stdin, and a
// real (lab) Kubernetes API for --from-cluster.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as k8s from '@kubernetes/client-node';
import { runCli } from '../helpers/cli.js';
import { startApiServer } from '../../src/lab/apiserver/index.js';
import { parseManifests } from '../../src/analyze/load-manifests.js';

const FIX = fileURLToPath(new URL('../../../test/fixtures/manifests/', import.meta.url));
const fixture = (name: string): string => join(FIX, name);

async function withTmp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'zd-lint-cli-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('fixed manifests: exit 0 and "No findings."', async () => {
  const r = await runCli(['lint', fixture('istio-subsets/fixed.yaml'), fixture('bookinfo-canary/fixed.yaml'), fixture('rolling-update/fixed.yaml')]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'No findings.\n');
});

test('an error-level finding: exit 1, the table names the rule and file:line', async () => {
  const file = fixture('bookinfo-canary/broken.yaml');
  const r = await runCli(['lint', file]);
  assert.equal(r.code, 1, r.stderr);
  assert.ok(r.stdout.includes('vs-missing-fallback'));
  assert.ok(r.stdout.includes('broken.yaml:96'), r.stdout);
});

test('warnings only: exit 0', async () => {
  const r = await runCli(['lint', fixture('kruise-rollout/broken.yaml')]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.includes('rollout-steps-decreasing'));
});

test('a directory is read recursively; --format json has tool, counts and findings', async () => {
  const r = await runCli(['lint', '--format', 'json', FIX]);
  assert.equal(r.code, 1, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.tool.name, 'zdprobe');
  const files = new Set(doc.findings.map((f: { file: string }) => f.file.slice(FIX.length)));
  for (const f of ['argo-rollout/broken.json', 'bookinfo-canary/broken.yaml', 'nginx-bluegreen/broken.yaml', 'rolling-update/broken.yaml']) {
    assert.ok(files.has(f), `no finding from ${f}`);
  }
  for (const f of doc.findings) assert.deepEqual(Object.keys(f), ['id', 'severity', 'object', 'file', 'line', 'message', 'fix']);
  assert.equal(doc.counts.error, doc.findings.filter((f: { severity: string }) => f.severity === 'error').length);
});

test('--format sarif: SARIF 2.1.0 with rules and located results', async () => {
  const file = fixture('rolling-update/broken.yaml');
  const r = await runCli(['lint', '--format', 'sarif', file]);
  assert.equal(r.code, 1, r.stderr);
  const run = JSON.parse(r.stdout).runs[0];
  assert.equal(run.tool.driver.rules.length, 10);
  assert.deepEqual(run.results.map((x: { ruleId: string }) => x.ruleId), ['deploy-max-unavailable', 'deploy-grace-too-short']);
  const loc = run.results[0].locations[0].physicalLocation;
  assert.ok(loc.artifactLocation.uri.endsWith('rolling-update/broken.yaml'));
  assert.equal(loc.region.startLine, 2);
});

test('- reads stdin (helm template | zdprobe lint -)', async () => {
  const input = await readFile(fixture('istio-subsets/broken-order.yaml'), 'utf8');
  const r = await runCli(['lint', '--format', 'json', '-'], { input });
  assert.equal(r.code, 1, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(doc.findings.map((f: { id: string }) => f.id), ['svc-selects-version', 'vs-unknown-subset']);
  assert.ok(doc.findings.every((f: { file: string }) => f.file === '<stdin>'));
});

test('a YAML syntax error: exit 2 and one line naming file:line', async () => {
  await withTmp(async (dir) => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'apiVersion: v1\nkind: Service\n---\nkind: Deployment\nspec:\n  template: [a\n  x: 1\n');
    const r = await runCli(['lint', file]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`^zdprobe: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:7: .+\\n$`));
  });
});

const usageCases: Array<[string, string[]]> = [
  ['no paths', ['lint']],
  ['a missing file', ['lint', '/nonexistent/zd-lint.yaml']],
  ['an unknown format', ['lint', '--format', 'xml', FIX]],
  ['files and --from-cluster together', ['lint', '--from-cluster', FIX]],
];

for (const [name, args] of usageCases) {
  test(`exit 2 on ${name}`, async () => {
    const r = await runCli(args);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });
}

test('--from-cluster without a kubeconfig: exit 3, one line', async () => {
  await withTmp(async (dir) => {
    const r = await runCli(['lint', '--from-cluster', '-n', 'default'], { env: { HOME: dir, KUBECONFIG: '', KUBERNETES_SERVICE_HOST: '' } });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stderr, `zdprobe: no kubeconfig at ${join(dir, '.kube', 'config')} (pass --kubeconfig or set KUBECONFIG)\n`);
  });
});

test('--from-cluster with a --kubeconfig that does not exist: exit 3, one line', async () => {
  const r = await runCli(['lint', '--from-cluster', '--kubeconfig', '/nonexistent/kubeconfig']);
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stderr, 'zdprobe: no kubeconfig at /nonexistent/kubeconfig (pass --kubeconfig or set KUBECONFIG)\n');
});

test('--from-cluster with an unreachable API server: exit 3, one line', async () => {
  await withTmp(async (dir) => {
    const lab = await startApiServer({ dir });
    await lab.close();
    const r = await runCli(['lint', '--from-cluster', '-n', 'default', '--kubeconfig', lab.kubeconfig], { timeoutMs: 60000 });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^zdprobe: cannot list .+\n$/);
  });
});

const PLURALS: Record<string, string> = { Deployment: 'deployments', VirtualService: 'virtualservices', DestinationRule: 'destinationrules' };

async function apply(kubeconfig: string, text: string): Promise<void> {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  for (const { obj } of parseManifests(text, 'apply.yaml')) {
    const namespace = obj.metadata?.namespace ?? 'default';
    if (obj.kind === 'Service') await core.createNamespacedService({ namespace, body: obj as k8s.V1Service });
    else {
      const [group = '', version = ''] = (obj.apiVersion ?? '').split('/');
      await custom.createNamespacedCustomObject({ group, version, namespace, plural: PLURALS[obj.kind ?? ''] ?? '', body: obj });
    }
  }
}

test('--from-cluster lints the live objects of a namespace (lab API; absent CRDs are skipped)', async () => {
  await withTmp(async (dir) => {
    const lab = await startApiServer({ dir });
    try {
      const text = (await readFile(fixture('bookinfo-canary/broken.yaml'), 'utf8')).replaceAll('namespace: bookinfo', 'namespace: default').replaceAll('.bookinfo.svc', '.default.svc');
      await apply(lab.kubeconfig, text);
      const r = await runCli(['lint', '--from-cluster', '-n', 'default', '--kubeconfig', lab.kubeconfig, '--format', 'json'], { timeoutMs: 60000 });
      assert.equal(r.code, 1, r.stderr);
      const { findings } = JSON.parse(r.stdout);
      assert.deepEqual(findings, [{
        id: 'vs-missing-fallback', severity: 'error', object: 'VirtualService/default/reviews',
        message: 'all 1 http route(s) have a match condition: a request that matches none of them fails',
        fix: 'add a last http route with no `match` that sends everything else to the stable version',
      }]);
      const other = await runCli(['lint', '--from-cluster', '-n', 'kube-public', '--kubeconfig', lab.kubeconfig, '--context', 'lab'], { timeoutMs: 60000 });
      assert.equal(other.code, 0, other.stderr);
      assert.equal(other.stdout, 'No findings.\n');
      const badContext = await runCli(['lint', '--from-cluster', '--kubeconfig', lab.kubeconfig, '--context', 'nope'], { timeoutMs: 60000 });
      assert.equal(badContext.code, 3);
      assert.equal(badContext.stderr, `zdprobe: no context "nope" in ${lab.kubeconfig}\n`);
    } finally {
      await lab.close();
    }
  });
});
