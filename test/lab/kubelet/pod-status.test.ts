import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPodStatus, k8sTime } from '../../../src/lab/kubelet/pod-status.js';
import type { Condition, ContainerView, PodRuntime } from '../../../src/lab/kubelet/pod-status.js';

const t0 = Date.parse('2025-01-01T10:00:00.400Z');
const web: ContainerView = {
  name: 'web', image: 'lab/web:2', sidecar: false, ready: false, started: true,
  state: { kind: 'running', startedAt: t0, containerID: 'lab://c1' }, restartCount: 0,
};
const podOf = (c: Partial<ContainerView>, phase: PodRuntime['phase'] = 'Running'): PodRuntime => ({
  phase, hostIP: '127.5.5.1', podIP: '127.5.5.2', startTime: t0, containers: [{ ...web, ...c }],
});
const running = podOf({});
const conditionsOf = (s: Record<string, unknown>): Condition[] => s['conditions'] as Condition[];
const byType = (s: Record<string, unknown>, type: string): Condition | undefined => conditionsOf(s).find((c) => c.type === type);

test('times are whole-second RFC 3339, as metav1.Time serialises', () => {
  assert.equal(k8sTime(t0), '2025-01-01T10:00:00Z');
});

test('a running, not yet ready pod: IPs, running state, Ready False with the kubelet reason', () => {
  const s = buildPodStatus(running, [], t0);
  assert.equal(s['phase'], 'Running');
  assert.equal(s['podIP'], '127.5.5.2');
  assert.deepEqual(s['podIPs'], [{ ip: '127.5.5.2' }]);
  assert.equal(s['hostIP'], '127.5.5.1');
  assert.deepEqual(conditionsOf(s).map((c) => `${c.type}=${c.status}`), [
    'PodReadyToStartContainers=True', 'Initialized=True', 'Ready=False', 'ContainersReady=False', 'PodScheduled=True',
  ]);
  assert.equal(byType(s, 'Ready')?.reason, 'ContainersNotReady');
  assert.equal(byType(s, 'Ready')?.message, 'containers with unready status: [web]');
  const [cs] = s['containerStatuses'] as Array<Record<string, unknown>>;
  assert.deepEqual(cs?.['state'], { running: { startedAt: '2025-01-01T10:00:00Z' } });
  assert.equal(cs?.['ready'], false);
  assert.equal(cs?.['started'], true);
  assert.equal(cs?.['restartCount'], 0);
});

test('lastTransitionTime moves only for conditions whose status flips', () => {
  const first = buildPodStatus(running, [], t0);
  const later = t0 + 7000;
  const second = buildPodStatus(podOf({ ready: true }), conditionsOf(first), later);
  assert.equal(byType(second, 'Ready')?.status, 'True');
  assert.equal(byType(second, 'Ready')?.lastTransitionTime, k8sTime(later));
  assert.equal(byType(second, 'Ready')?.reason, undefined);
  assert.equal(byType(second, 'Initialized')?.lastTransitionTime, k8sTime(t0));
  const third = buildPodStatus(podOf({ ready: true }), conditionsOf(second), later + 5000);
  assert.equal(byType(third, 'Ready')?.lastTransitionTime, k8sTime(later));
});

test('a SIGKILLed container is terminated with 137 and reason Error; a clean exit is Completed', () => {
  const last = { exitCode: 137, signal: 'SIGKILL', startedAt: t0, finishedAt: t0 + 3000, containerID: 'lab://c1' };
  const killed = buildPodStatus(podOf({ state: { kind: 'terminated', last } }, 'Failed'), [], t0 + 3000);
  const [cs] = killed['containerStatuses'] as Array<Record<string, unknown>>;
  assert.deepEqual(cs?.['state'], {
    terminated: { exitCode: 137, reason: 'Error', startedAt: '2025-01-01T10:00:00Z', finishedAt: '2025-01-01T10:00:03Z', containerID: 'lab://c1' },
  });
  assert.equal(cs?.['started'], false);
  assert.equal(byType(killed, 'Ready')?.reason, 'PodCompleted');
  assert.equal(byType(killed, 'PodReadyToStartContainers')?.status, 'False');
  const clean = buildPodStatus(podOf({ state: { kind: 'terminated', last: { ...last, exitCode: 0, signal: null } } }, 'Succeeded'), [], t0);
  const [ok] = clean['containerStatuses'] as Array<Record<string, unknown>>;
  assert.equal((ok?.['state'] as { terminated: { reason: string } }).terminated.reason, 'Completed');
});

test('a crash-looping container waits in CrashLoopBackOff with its last termination', () => {
  const last = { exitCode: 1, signal: null, startedAt: t0, finishedAt: t0 + 1000, containerID: 'lab://c1' };
  const s = buildPodStatus(podOf({ state: { kind: 'backoff', message: 'back-off 1s' }, lastTerminated: last, restartCount: 1 }), [], t0);
  const [cs] = s['containerStatuses'] as Array<Record<string, unknown>>;
  assert.deepEqual(cs?.['state'], { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 1s' } });
  assert.equal((cs?.['lastState'] as { terminated: { exitCode: number } }).terminated.exitCode, 1);
  assert.equal(cs?.['restartCount'], 1);
});

test('sidecars are listed under initContainerStatuses; the pod is Ready only when every container is', () => {
  const proxy: ContainerView = { ...web, name: 'proxy', image: 'lab/proxy:1', sidecar: true, ready: true };
  const rt: PodRuntime = { ...running, containers: [proxy, { ...web, ready: true }, { ...web, name: 'logs', ready: false }] };
  const s = buildPodStatus(rt, [], t0);
  assert.deepEqual((s['initContainerStatuses'] as Array<{ name: string }>).map((c) => c.name), ['proxy']);
  assert.deepEqual((s['containerStatuses'] as Array<{ name: string }>).map((c) => c.name), ['web', 'logs']);
  assert.equal(byType(s, 'Ready')?.message, 'containers with unready status: [logs]');
  const all = buildPodStatus({ ...rt, containers: rt.containers.map((c) => ({ ...c, ready: true })) }, [], t0);
  assert.equal(byType(all, 'Ready')?.status, 'True');
  const notStarted = buildPodStatus({ ...rt, containers: [{ ...proxy, started: false, ready: false }] }, [], t0);
  assert.equal(byType(notStarted, 'Initialized')?.status, 'False');
});
