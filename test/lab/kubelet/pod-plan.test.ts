import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { planPod } from '../../../src/lab/kubelet/pod-plan.js';
import type { ContainerPlan } from '../../../src/lab/kubelet/pod-plan.js';

const first = (p: ReturnType<typeof planPod>): ContainerPlan => p.containers[0]!;

const pod = (container: Record<string, unknown>, spec: Record<string, unknown> = {}): V1Pod =>
  ({ metadata: { name: 'web-1', namespace: 'shop', uid: 'u-1' }, spec: { containers: [{ name: 'web', ...container }], ...spec } }) as V1Pod;

test('a bare container runs on 8080, version from the image tag, Kubernetes defaults', () => {
  const pp = planPod(pod({ image: 'lab/web:2' }));
  const plan = { ...pp, ...first(pp) };
  assert.equal(plan.port, 8080);
  assert.equal(plan.env['VERSION'], '2');
  assert.equal(plan.env['POD_NAME'], 'web-1');
  assert.equal(plan.graceSeconds, 30);
  assert.equal(plan.restartPolicy, 'Always');
  assert.equal(plan.readiness, undefined);
  assert.equal(plan.preStop, undefined);
  assert.equal(plan.namespace, 'shop');
});

test('env VERSION wins over the image; field refs resolve', () => {
  const plan = first(planPod(pod({
    image: 'lab/web:2',
    env: [{ name: 'VERSION', value: '5' }, { name: 'SHUTDOWN', value: 'ignore' }, { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
  })));
  assert.equal(plan.env['VERSION'], '5');
  assert.equal(plan.env['SHUTDOWN'], 'ignore');
  assert.equal(plan.env['NS'], 'shop');
});

test('readiness probe fields and a named port are read, with defaults for the rest', () => {
  const pp = planPod(pod({
    image: 'lab/web:1',
    ports: [{ name: 'http', containerPort: 9000 }],
    readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 5, periodSeconds: 2, successThreshold: 5 },
  }, { terminationGracePeriodSeconds: 7 }));
  const plan = { ...pp, ...first(pp) };
  assert.equal(plan.port, 9000);
  assert.deepEqual(plan.readiness, { handler: { kind: 'httpGet', path: '/healthz', port: 9000, scheme: 'http' }, initialDelayMs: 5000, periodMs: 2000, timeoutMs: 1000, successThreshold: 5, failureThreshold: 3 });
  assert.equal(plan.graceSeconds, 7);
});

test('preStop exec, sleep and httpGet hooks', () => {
  const exec = first(planPod(pod({ lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } } })));
  assert.deepEqual(exec.preStop, { kind: 'exec', command: ['sleep', '5'] });
  const sleep = first(planPod(pod({ lifecycle: { preStop: { sleep: { seconds: 3 } } } })));
  assert.deepEqual(sleep.preStop, { kind: 'sleep', seconds: 3 });
  const http = first(planPod(pod({ lifecycle: { preStop: { httpGet: { path: '/drain', port: 8080 } } } })));
  assert.deepEqual(http.preStop, { kind: 'httpGet', path: '/drain', port: 8080 });
});

test('liveness, startup and readiness probes with tcpSocket and exec handlers, and the probe grace override', () => {
  const plan = first(planPod(pod({
    ports: [{ name: 'http', containerPort: 9000 }],
    livenessProbe: { tcpSocket: { port: 'http' }, terminationGracePeriodSeconds: 4, failureThreshold: 1 },
    startupProbe: { exec: { command: ['test', '-e', 'started'] }, periodSeconds: 1 },
    readinessProbe: { httpGet: { path: '/healthz', port: 9000, scheme: 'HTTPS' } },
  })));
  assert.deepEqual(plan.liveness, { handler: { kind: 'tcpSocket', port: 9000 }, initialDelayMs: 0, periodMs: 10000, timeoutMs: 1000, successThreshold: 1, failureThreshold: 1, graceSeconds: 4 });
  assert.deepEqual(plan.startup?.handler, { kind: 'exec', command: ['test', '-e', 'started'] });
  assert.equal(plan.startup?.periodMs, 1000);
  assert.deepEqual(plan.readiness?.handler, { kind: 'httpGet', path: '/healthz', port: 9000, scheme: 'https' });
});

test('every container runs: native sidecars (restartPolicy Always init containers) first, plain init containers not at all', () => {
  const plan = planPod(pod({ image: 'lab/web:1' }, {
    initContainers: [
      { name: 'migrate', image: 'lab/web:1' },
      { name: 'proxy', image: 'lab/proxy:1', restartPolicy: 'Always', ports: [{ containerPort: 15021 }] },
    ],
    containers: [{ name: 'web', image: 'lab/web:1' }, { name: 'logs', image: 'lab/logs:1', ports: [{ containerPort: 9100 }] }],
  }));
  assert.deepEqual(plan.containers.map((c) => [c.name, c.sidecar, c.port]), [['proxy', true, 15021], ['web', false, 8080], ['logs', false, 9100]]);
  assert.equal(plan.containers[2]?.env['VERSION'], '1');
});
