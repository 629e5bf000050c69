// What a scenario becomes on the real node, and how its images are named for containerd's CRI.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ZdError } from '../../../src/errors.js';
import { loadScenario, listScenarios, realNodeOnly } from '../../../src/lab/scenario/scenario.js';
import { forRealNode, scenarioImages } from '../../../src/lab/real-node/scenario.js';
import { normalizeImage } from '../../../src/lab/real-node/images.js';
import { isZdprobeImage } from '../../../src/lab/real-node/zdprobe-image.js';

test('image names are normalized the way the CRI names them', () => {
  const cases: Array<[string, string]> = [
    ['lab/web:1', 'docker.io/lab/web:1'],
    ['nginx:1.22.0', 'docker.io/library/nginx:1.22.0'],
    ['nginx', 'docker.io/library/nginx:latest'],
    ['zdprobe.local/pause:1', 'zdprobe.local/pause:1'],
    ['localhost:5000/app:v2', 'localhost:5000/app:v2'],
  ];
  for (const [ref, want] of cases) assert.equal(normalizeImage(ref), want, ref);
});

test('a scenario on the real node never pulls and passes the containerPort as PORT', () => {
  const sc = forRealNode(loadScenario('rolling-update-no-prestop'));
  const c = sc.manifests.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0];
  assert.equal(c.imagePullPolicy, 'Never');
  assert.deepEqual(c.env, [{ name: 'SHUTDOWN', value: 'immediate' }, { name: 'PORT', value: '8080' }]);
});

test('a native sidecar (an initContainer) is a local image on the real node too', () => {
  const base = loadScenario('rolling-update-no-prestop');
  const sidecar = { name: 'proxy', image: 'lab/web:proxy', restartPolicy: 'Always', ports: [{ containerPort: 15001 }] };
  const withSidecar = { ...base, manifests: base.manifests.map((o) => (o.kind === 'Deployment' ? { ...o, spec: { ...o.spec, template: { ...o.spec.template, spec: { ...o.spec.template.spec, initContainers: [sidecar] } } } } : o)) };
  const init = forRealNode(withSidecar).manifests.find((o) => o.kind === 'Deployment')!.spec.template.spec.initContainers[0];
  assert.equal(init.imagePullPolicy, 'Never');
  assert.deepEqual(init.env, [{ name: 'PORT', value: '15001' }]);
  assert.ok(scenarioImages(withSidecar).includes('lab/web:proxy'));
});

test('the images of a scenario come from its manifests and its set-image steps', () => {
  assert.deepEqual(scenarioImages(loadScenario('rolling-update-no-prestop')), ['lab/web:1', 'lab/web:2']);
});

test('every scenario names at least one image, so the real node can build them all', () => {
  for (const name of listScenarios()) assert.ok(scenarioImages(loadScenario(name)).length > 0, name);
});

test('an Argo scenario runs the zdprobe image in its analysis Job, beside the lab-app images', () => {
  const images = scenarioImages(loadScenario('argo-canary-analysis'));
  assert.deepEqual(images, ['zdprobe:lab', 'lab/web:1', 'lab/web:2']);
  assert.deepEqual(images.filter(isZdprobeImage), ['zdprobe:lab']);
  assert.equal(isZdprobeImage('docker.io/library/zdprobe:0.1.0'), true);
  assert.equal(isZdprobeImage('lab/zdprobe:1'), false);
});

test('a scenario with a real controller or real Traefik says why it needs the real node', () => {
  assert.match(realNodeOnly(loadScenario('argo-canary-analysis')) ?? '', /argo-rollouts/);
  assert.match(realNodeOnly(loadScenario('traefik-rolling-update')) ?? '', /Traefik/);
  assert.equal(realNodeOnly(loadScenario('rolling-update-graceful')), undefined);
});

test('an unknown controller in a scenario file is one input error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zdprobe-scenario-'));
  try {
    writeFileSync(join(dir, 'x.yaml'), 'name: x\ncontrollers: [flagger]\nmanifests: []\nprobes: []\n');
    assert.throws(() => loadScenario(join(dir, 'x.yaml')), (err: ZdError) => err.code === 'input' && /unknown controller "flagger" \(known: argo-rollouts\)/.test(err.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
