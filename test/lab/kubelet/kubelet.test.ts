// The kubelet against the real lab API server: pods become real processes on their own addresses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { get } from '../app/run-app.js';
import { eventually, isReady, labPod, lineTime, podEventsOf, withLabNode } from './lab-node.js';

const codeOf = (err: unknown): string => String((err as { code?: unknown }).code ?? err);

test('a created pod is scheduled, runs, turns Ready and answers on its own podIP', async () => {
  await withLabNode(async ({ core, coordination, ipPrefix, kubelet, podLog }) => {
    const probe = { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 };
    await core.createNamespacedPod({ namespace: 'default', body: labPod('web-1', { image: 'lab/web:2', readinessProbe: probe }) });
    const pod = await eventually('Ready', async () => {
      const p = await core.readNamespacedPod({ name: 'web-1', namespace: 'default' });
      return isReady(p) ? p : undefined;
    });
    assert.equal(pod.spec?.nodeName, 'lab-node-1');
    assert.equal(pod.status?.phase, 'Running');
    assert.equal(pod.status?.podIP, `${ipPrefix}2`);
    assert.equal(pod.status?.hostIP, `${ipPrefix}1`);
    const types = pod.status?.conditions?.filter((c) => c.status === 'True').map((c) => c.type).sort();
    assert.deepEqual(types, ['ContainersReady', 'Initialized', 'PodReadyToStartContainers', 'PodScheduled', 'Ready']);
    const cs = pod.status?.containerStatuses?.[0];
    assert.equal(cs?.ready, true);
    assert.equal(cs?.started, true);
    assert.ok(cs?.state?.running?.startedAt);

    const reply = await get(`http://${pod.status?.podIP}:8080/`);
    assert.equal(reply.body, 'Version 2 of my awesome app!\n');
    assert.equal(reply.headers['x-pod-name'], 'web-1');
    assert.match(await podLog('web-1'), new RegExp(`GET /healthz from ${ipPrefix.replaceAll('.', '\\.')}1:`), 'probes come from the node address');

    const node = await core.readNode({ name: 'lab-node-1' });
    assert.equal(node.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
    assert.deepEqual({ ...node.status?.addresses?.[0] }, { type: 'InternalIP', address: `${ipPrefix}1` });
    const lease = await eventually('lease', () =>
      coordination.readNamespacedLease({ name: 'lab-node-1', namespace: 'kube-node-lease' }).catch(() => undefined));
    assert.equal(lease.spec?.holderIdentity, 'lab-node-1');

    const reasons = (await eventually('Started event', async () => {
      const events = await podEventsOf(core, 'web-1');
      return events.some((e) => e.reason === 'Started') ? events : undefined;
    })).map((e) => e.reason);
    assert.deepEqual(reasons.slice(0, 4), ['Scheduled', 'Pulled', 'Created', 'Started']);
    // A probe that ran before the app listened is the only other thing that may have happened.
    assert.deepEqual(reasons.slice(4).filter((r) => r !== 'Unhealthy'), []);

    await kubelet.close();
    assert.equal(await get(`http://${pod.status?.podIP}:8080/`).then(() => 'served', codeOf), 'ECONNREFUSED', 'close() killed the pod process');
  });
});

test('graceful deletion: not ready, preStop really runs, then SIGTERM, terminated with 0, then removed', async () => {
  await withLabNode(async ({ core, podEvents, podLog }) => {
    const container = {
      env: [{ name: 'SHUTDOWN', value: 'graceful' }],
      readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 },
      lifecycle: { preStop: { exec: { command: ['sleep', '2'] } } },
    };
    await core.createNamespacedPod({ namespace: 'default', body: labPod('web-g', container, { terminationGracePeriodSeconds: 20 }) });
    await eventually('Ready', async () => isReady(await core.readNamespacedPod({ name: 'web-g', namespace: 'default' })));
    const deletedAt = Date.now();
    await core.deleteNamespacedPod({ name: 'web-g', namespace: 'default' });
    await eventually('pod removed', () => podEvents.some((e) => e.type === 'DELETED' && e.pod.metadata?.name === 'web-g'));

    const mine = podEvents.filter((e) => e.pod.metadata?.name === 'web-g' && e.at >= deletedAt);
    // As the real kubelet: readiness is still probed while the pod terminates, so it stays Ready
    // (its endpoint `serving`) through the preStop sleep, and is not ready once the container ended.
    const firstDeleting = mine.find((e) => e.pod.metadata?.deletionTimestamp);
    assert.ok(firstDeleting && isReady(firstDeleting.pod), 'still Ready when the deletion is first seen');
    const terminated = mine.findIndex((e) => e.pod.status?.containerStatuses?.[0]?.state?.terminated);
    assert.ok(terminated >= 0 && !isReady(mine[terminated]!.pod), 'not ready once the container terminated');
    const state = mine[terminated]?.pod.status?.containerStatuses?.[0]?.state?.terminated;
    assert.equal(state?.exitCode, 0);
    assert.equal(state?.reason, 'Completed');
    assert.equal(mine.at(-1)?.type, 'DELETED');

    const log = await podLog('web-g');
    const preStop = lineTime(log, 'preStop [sleep 2]');
    const sigterm = lineTime(log, 'SIGTERM to web');
    assert.ok(sigterm - preStop >= 1900, `SIGTERM waited for the preStop sleep (${sigterm - preStop}ms)`);
    assert.ok(lineTime(log, 'SIGTERM received') >= sigterm);
    assert.ok(lineTime(log, 'container web exited with 0') >= lineTime(log, 'all connections closed'));
    const reasons = (await podEventsOf(core, 'web-g')).map((e) => e.reason);
    assert.ok(reasons.includes('Killing'));
    assert.ok(!reasons.includes('ExceededGracePeriod'));
    assert.ok(!reasons.includes('FailedPreStopHook'));
  });
});

test('an app ignoring SIGTERM is SIGKILLed at the grace deadline, preStop time included', async () => {
  await withLabNode(async ({ core, podEvents, podLog }) => {
    const container = { env: [{ name: 'SHUTDOWN', value: 'ignore' }], lifecycle: { preStop: { sleep: { seconds: 1 } } } };
    await core.createNamespacedPod({ namespace: 'default', body: labPod('web-i', container, { terminationGracePeriodSeconds: 3 }) });
    await eventually('Running', async () => (await core.readNamespacedPod({ name: 'web-i', namespace: 'default' })).status?.phase === 'Running');
    await eventually('listening', async () => (await podLog('web-i').catch(() => '')).includes('listening on'));
    const deletedAt = Date.now();
    await core.deleteNamespacedPod({ name: 'web-i', namespace: 'default' });
    await eventually('pod removed', () => podEvents.some((e) => e.type === 'DELETED' && e.pod.metadata?.name === 'web-i'));

    const log = await podLog('web-i');
    const killedAt = lineTime(log, 'SIGKILL to web');
    assert.ok(killedAt - deletedAt >= 2900, `SIGKILL only at the 3 s deadline (${killedAt - deletedAt}ms)`);
    assert.ok(lineTime(log, 'preStop sleep 1s') < lineTime(log, 'SIGTERM to web'));
    assert.ok(lineTime(log, 'SIGTERM received') < killedAt, 'the app saw SIGTERM and ignored it');
    const last = podEvents.filter((e) => e.pod.metadata?.name === 'web-i').at(-1);
    const terminated = last?.pod.status?.containerStatuses?.[0]?.state?.terminated;
    assert.equal(terminated?.exitCode, 137);
    assert.equal(terminated?.reason, 'Error');
    // A normal delete kills at the deadline silently: ExceededGracePeriod is only for eviction (killPodNow).
    const events = await podEventsOf(core, 'web-i');
    assert.deepEqual(events.filter((e) => e.reason === 'ExceededGracePeriod'), []);
    assert.ok(events.some((e) => e.reason === 'Killing'), 'the Killing event is there');
  });
});

test('a slow starter fails readiness (Unhealthy events) until it listens, then turns Ready', async () => {
  await withLabNode(async ({ core }) => {
    const container = {
      env: [{ name: 'START_DELAY_MS', value: '2500' }],
      readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1, failureThreshold: 1 },
    };
    await core.createNamespacedPod({ namespace: 'default', body: labPod('web-s', container) });
    await eventually('Ready', async () => isReady(await core.readNamespacedPod({ name: 'web-s', namespace: 'default' })));
    const all = (await podEventsOf(core, 'web-s')).filter((e) => e.reason === 'Unhealthy');
    const unhealthy = all[0];
    assert.equal(all.length, 1, 'repeated probe failures bump one event');
    assert.ok((unhealthy?.count ?? 0) >= 2, `count ${unhealthy?.count} covers every failed probe`);
    assert.equal(unhealthy?.type, 'Warning');
    assert.match(unhealthy?.message ?? '', /^Readiness probe failed: Get "http:\/\/127\.[\d.]+:8080\/healthz": dial tcp .*connection refused$/);
  });
});

test('a container that exits on its own is restarted at once, then waits in CrashLoopBackOff with a BackOff event', async () => {
  await withLabNode(async ({ core }) => {
    await core.createNamespacedPod({ namespace: 'default', body: labPod('web-c', { env: [{ name: 'SHUTDOWN', value: 'bogus' }] }) });
    const pod = await eventually('restarted', async () => {
      const p = await core.readNamespacedPod({ name: 'web-c', namespace: 'default' });
      return (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 ? p : undefined;
    });
    assert.equal(pod.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode, 1);
    // The second crash starts the kubelet's back-off (10 s, doubling to 5 min).
    const waiting = await eventually('in back-off', async () => {
      const p = await core.readNamespacedPod({ name: 'web-c', namespace: 'default' });
      return p.status?.containerStatuses?.[0]?.state?.waiting;
    });
    assert.equal(waiting.reason, 'CrashLoopBackOff');
    assert.match(waiting.message ?? '', /^back-off 10s /);
    const backOff = (await podEventsOf(core, 'web-c')).find((e) => e.reason === 'BackOff');
    assert.equal(backOff?.type, 'Warning');
  });
});

test('a second delete with a shorter grace period brings the SIGKILL forward', async () => {
  await withLabNode(async ({ core, podEvents, podLog }) => {
    const body = labPod('web-o', { env: [{ name: 'SHUTDOWN', value: 'ignore' }] }, { terminationGracePeriodSeconds: 120 });
    await core.createNamespacedPod({ namespace: 'default', body });
    await eventually('listening', async () => (await podLog('web-o').catch(() => '')).includes('listening on'));
    await core.deleteNamespacedPod({ name: 'web-o', namespace: 'default' });
    await eventually('SIGTERM seen', async () => (await podLog('web-o')).includes('SIGTERM received'));
    const overrideAt = Date.now();
    await core.deleteNamespacedPod({ name: 'web-o', namespace: 'default', gracePeriodSeconds: 1 });
    await eventually('pod removed', () => podEvents.some((e) => e.type === 'DELETED' && e.pod.metadata?.name === 'web-o'), 30_000);
    const log = await podLog('web-o');
    assert.ok(lineTime(log, 'SIGKILL to web') - overrideAt < 60_000, 'killed long before the original 120 s');
    assert.ok(lineTime(log, 'grace period shortened to 1s') < lineTime(log, 'SIGKILL to web'));
  });
});
