// Every container of a pod runs (native sidecars included), probes kill and restart them, and the
// terminated states appear only once all have stopped: the kubelet against the real lab API server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { get } from '../app/run-app.js';
import { eventually, isReady, labPod, lineTime, podEventsOf, withLabNode } from './lab-node.js';

const statusesOf = (pod: V1Pod): V1ContainerStatus[] => [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];

test('a pod with a native sidecar runs both; at deletion the sidecar gets SIGTERM after the app, and terminated states come together at the end', async () => {
  await withLabNode(async ({ core, podEvents, podLog }) => {
    const proxy = {
      name: 'proxy', image: 'lab/proxy:1', restartPolicy: 'Always', ports: [{ containerPort: 15021 }],
      env: [{ name: 'SHUTDOWN', value: 'graceful' }, { name: 'DRAIN_MS', value: '1500' }],
      lifecycle: { preStop: { sleep: { seconds: 1 } } },
    };
    const web = { env: [{ name: 'SHUTDOWN', value: 'graceful' }], readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 } };
    await core.createNamespacedPod({ namespace: 'default', body: labPod('web-sc', web, { initContainers: [proxy], terminationGracePeriodSeconds: 20 }) });
    const pod = await eventually('Ready', async () => {
      const p = await core.readNamespacedPod({ name: 'web-sc', namespace: 'default' });
      return isReady(p) ? p : undefined;
    });
    assert.deepEqual(pod.status?.initContainerStatuses?.map((s) => [s.name, s.ready, !!s.state?.running]), [['proxy', true, true]]);
    assert.deepEqual(pod.status?.containerStatuses?.map((s) => [s.name, s.ready, !!s.state?.running]), [['web', true, true]]);
    assert.equal((await get(`http://${pod.status?.podIP}:15021/`)).status, 200, 'the sidecar answers on its own port');
    assert.equal((await get(`http://${pod.status?.podIP}:8080/`)).status, 200);
    const log0 = await podLog('web-sc');
    assert.ok(lineTime(log0, 'started container proxy') <= lineTime(log0, 'started container web'), 'the sidecar started first');

    const deletedAt = Date.now();
    await core.deleteNamespacedPod({ name: 'web-sc', namespace: 'default' });
    await eventually('pod removed', () => podEvents.some((e) => e.type === 'DELETED' && e.pod.metadata?.name === 'web-sc'));
    const log = await podLog('web-sc');
    assert.ok(lineTime(log, 'preStop sleep 1s of proxy') < lineTime(log, 'SIGTERM to web'), 'both preStops start at once');
    assert.ok(lineTime(log, 'SIGTERM to proxy') >= lineTime(log, 'container web exited'), 'the sidecar gets SIGTERM only after the app stopped');
    const mine = podEvents.filter((e) => e.pod.metadata?.name === 'web-sc' && e.at >= deletedAt);
    const first = mine.find((e) => statusesOf(e.pod).some((s) => s.state?.terminated));
    assert.ok(first, 'terminated states were published');
    assert.deepEqual(statusesOf(first.pod).map((s) => [s.name, s.state?.terminated?.exitCode, s.state?.terminated?.reason]), [['proxy', 0, 'Completed'], ['web', 0, 'Completed']]);
    const finishedAt = new Date(first.pod.status?.initContainerStatuses?.[0]?.state?.terminated?.finishedAt ?? 0).getTime();
    assert.ok(first.at >= finishedAt, 'written once the last container (the draining sidecar) stopped');
  });
});

test('a failed liveness probe kills the container with the kubelet\'s events and restarts it with lastState terminated', async () => {
  await withLabNode(async ({ core }) => {
    const container = {
      env: [{ name: 'SHUTDOWN', value: 'immediate' }, { name: 'LIVEZ_FAIL_AFTER_MS', value: '1500' }],
      livenessProbe: { httpGet: { path: '/livez', port: 8080 }, periodSeconds: 1, failureThreshold: 2 },
    };
    await core.createNamespacedPod({ namespace: 'default', body: labPod('web-l', container) });
    const pod = await eventually('restarted', async () => {
      const p = await core.readNamespacedPod({ name: 'web-l', namespace: 'default' });
      return (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 ? p : undefined;
    });
    const last = pod.status?.containerStatuses?.[0]?.lastState?.terminated;
    assert.equal(last?.exitCode, 143, 'SIGTERM, as the app exits on it');
    assert.equal(last?.reason, 'Error');
    assert.ok(last?.startedAt && last.finishedAt);
    // Events are written in order, so once the second Started is in, the kill's events are too.
    const events = await eventually('Started twice', async () => {
      const all = await podEventsOf(core, 'web-l');
      return all.some((e) => e.reason === 'Started' && e.count === 2) ? all : undefined;
    });
    const unhealthy = events.find((e) => e.reason === 'Unhealthy');
    assert.equal(unhealthy?.message, 'Liveness probe failed: HTTP probe failed with statuscode: 500');
    assert.equal(unhealthy?.involvedObject.fieldPath, 'spec.containers{web}');
    const killing = events.filter((e) => e.reason === 'Killing');
    assert.deepEqual(killing.map((e) => [e.type, e.message]), [['Normal', 'Container web failed liveness probe, will be restarted']]);
  });
});

test('a failing exec startup probe keeps the container unready, then kills it; its output is the event message', async () => {
  await withLabNode(async ({ core }) => {
    const container = {
      env: [{ name: 'SHUTDOWN', value: 'graceful' }],
      startupProbe: { exec: { command: ['sh', '-c', 'echo "not started in $PWD"; test -e started'] }, periodSeconds: 1, failureThreshold: 2 },
      readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
    };
    await core.createNamespacedPod({ namespace: 'default', body: labPod('web-x', container) });
    const pod = await eventually('restarted', async () => {
      const p = await core.readNamespacedPod({ name: 'web-x', namespace: 'default' });
      return (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 ? p : undefined;
    });
    assert.equal(isReady(pod), false, 'readiness waits for startup');
    assert.equal(pod.status?.containerStatuses?.[0]?.lastState?.terminated?.reason, 'Completed', 'a graceful app exits 0 on SIGTERM');
    const events = await eventually('Killing', async () => {
      const all = await podEventsOf(core, 'web-x');
      return all.some((e) => e.reason === 'Killing') ? all : undefined;
    });
    assert.match(events.find((e) => e.reason === 'Unhealthy')?.message ?? '', /^Startup probe failed: not started in \/.*web-x\.d\n$/);
    assert.ok(events.some((e) => e.reason === 'Killing' && e.message === 'Container web failed startup probe, will be restarted'));
    assert.ok(!events.some((e) => e.reason === 'Unhealthy' && e.message?.startsWith('Readiness')), 'no readiness probe ran');
  });
});

test('a pod deleted during a liveness kill is not killed twice: the kill finishes, nothing restarts, the pod goes', async () => {
  await withLabNode(async ({ core, podEvents, podLog }) => {
    const container = {
      env: [{ name: 'SHUTDOWN', value: 'graceful' }, { name: 'LIVEZ_FAIL_AFTER_MS', value: '500' }],
      livenessProbe: { httpGet: { path: '/livez', port: 8080 }, periodSeconds: 1, failureThreshold: 1 },
      lifecycle: { preStop: { sleep: { seconds: 2 } } },
    };
    await core.createNamespacedPod({ namespace: 'default', body: labPod('web-d', container) });
    await eventually('liveness kill under way', async () => (await podLog('web-d').catch(() => '')).includes('preStop sleep 2s'));
    await core.deleteNamespacedPod({ name: 'web-d', namespace: 'default' });
    await eventually('pod removed', () => podEvents.some((e) => e.type === 'DELETED' && e.pod.metadata?.name === 'web-d'));
    const killing = (await podEventsOf(core, 'web-d')).filter((e) => e.reason === 'Killing');
    assert.deepEqual(killing.map((e) => [e.message, e.count]), [['Container web failed liveness probe, will be restarted', 1]]);
    const log = await podLog('web-d');
    assert.equal(log.split('\n').filter((l) => l.includes('started container web')).length, 1, 'not restarted');
    assert.equal(log.split('\n').filter((l) => l.includes('preStop sleep 2s')).length, 1, 'one preStop');
  });
});
