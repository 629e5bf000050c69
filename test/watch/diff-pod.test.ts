import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/types.js';
import { describePreStop, diffPod } from '../../src/watch/diff-pod.js';
import { isEvent } from '../../src/watch/cluster-event.js';

const AT = 1_700_000_100_000;
const T0 = '2023-11-14T22:13:00Z';
const T1 = '2023-11-14T22:13:05Z';
const T2 = '2023-11-14T22:13:09Z';
const ms = (iso: string): number => Date.parse(iso);

function pod(over: { status?: any; spec?: any; meta?: any } = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'shop', creationTimestamp: T0, labels: { app: 'web', version: 'v2' },
      ownerReferences: [{ kind: 'ReplicaSet', name: 'web-7f9c' }], ...over.meta },
    spec: { containers: [{ name: 'app', image: 'lab/web:2' }], terminationGracePeriodSeconds: 30, ...over.spec },
    status: { phase: 'Pending', ...over.status },
  };
}

const cond = (type: string, status: string, t: string) => ({ type, status, lastTransitionTime: t });
const running = (startedAt: string, restartCount = 0) =>
  ({ containerStatuses: [{ name: 'app', restartCount, state: { running: { startedAt } } }] });
const scheduled = { spec: { nodeName: 'n1' }, status: { conditions: [cond('PodScheduled', 'True', T1)] } };
const withIp = { ...scheduled, status: { ...scheduled.status, podIP: '127.9.9.2', phase: 'Running' } };
const ready = (flag: 'True' | 'False', t = T2) => ({
  ...withIp, status: { ...withIp.status, ...running(T1),
    conditions: [cond('PodScheduled', 'True', T1), cond('ContainersReady', flag, t), cond('Ready', flag, t)] },
});
const deleting = (grace: number, preStop?: any) => {
  const r = ready('True');
  const container = { name: 'app', image: 'lab/web:2', ...(preStop ? { lifecycle: { preStop } } : {}) };
  return {
    ...r, spec: { ...r.spec, containers: [container] },
    meta: { deletionTimestamp: T2, deletionGracePeriodSeconds: grace },
  };
};

const types = (evs: ReturnType<typeof diffPod>): string[] => evs.map((e) => e.type);

describe('diffPod', () => {
  const cases: Array<[string, KubeObject | undefined, KubeObject | undefined, string[]]> = [
    ['a new pending pod is created', undefined, pod(), ['created']],
    ['nothing changed yields nothing', pod(ready('True')), pod(ready('True')), []],
    ['binding to a node is scheduled', pod(), pod(scheduled), ['scheduled']],
    ['a pod IP is assigned', pod(scheduled), pod(withIp), ['ip']],
    ['containers start and the pod turns ready', pod(withIp), pod(ready('True')), ['started', 'ready', 'ready']],
    ['readiness lost flips both conditions', pod(ready('True')), pod(ready('False', T2)), ['not-ready', 'not-ready']],
    ['a pod first seen ready reports its whole state', undefined, pod(ready('True')),
      ['created', 'scheduled', 'ip', 'started', 'ready', 'ready']],
    ['deletion is reported once', pod(ready('True')), pod(deleting(30)), ['deleting']],
    ['a second update of a deleting pod is not a new deletion', pod(deleting(30)), pod(deleting(30)), []],
    ['a gone pod is deleted', pod(ready('True')), undefined, ['deleted']],
    ['nothing to nothing is nothing', undefined, undefined, []],
  ];
  for (const [name, old, cur, want] of cases) it(name, () => assert.deepEqual(types(diffPod(old, cur, AT)), want));

  it('stamps local receipt time on every event and server times where the object has them', () => {
    const evs = diffPod(undefined, pod(ready('True')), AT);
    assert.ok(evs.every((e) => e.at === AT && e.kind === 'pod' && e.name === 'web-1' && e.namespace === 'shop'));
    const byType = Object.fromEntries(evs.map((e) => [`${e.type}:${e.kind === 'pod' && 'condition' in e ? e.condition : ''}`, e.serverAt]));
    assert.equal(byType['created:'], ms(T0));
    assert.equal(byType['scheduled:'], ms(T1));
    assert.equal(byType['started:'], ms(T1));
    assert.equal(byType['ready:Ready'], ms(T2));
    assert.equal(byType['ip:'], undefined);
  });

  it('names the condition that flipped and the pod IP', () => {
    const [containers, readyEv] = diffPod(pod(ready('True')), pod(ready('False')), AT);
    assert.ok(isEvent(containers, 'pod', 'not-ready') && isEvent(readyEv, 'pod', 'not-ready'));
    assert.equal(containers.condition, 'ContainersReady');
    assert.equal(readyEv.condition, 'Ready');
    assert.equal(readyEv.ip, '127.9.9.2');
  });

  it('dates a deletion at when it began: deletionTimestamp minus the grace period', () => {
    const [e] = diffPod(pod(ready('True')), pod(deleting(20, { exec: { command: ['sleep', '5'] } })), AT);
    assert.equal(e?.type, 'deleting');
    assert.ok(isEvent(e, 'pod', 'deleting'));
    assert.equal(e.serverAt, ms(T2) - 20_000);
    assert.deepEqual(
      { grace: e.gracePeriodSeconds, has: e.preStop !== null, pre: e.preStop, deadline: e.deadline },
      { grace: 20, has: true, pre: 'exec: sleep 5', deadline: ms(T2) },
    );
  });

  it('reports a deletion without preStop as such', () => {
    const [e] = diffPod(pod(ready('True')), pod(deleting(0)), AT);
    assert.ok(isEvent(e, 'pod', 'deleting'));
    assert.equal(e.preStop !== null, false);
    assert.equal(e.preStop, null);
    assert.equal(e.serverAt, ms(T2));
  });

  it('reports a terminated container with exit code, reason and finish time', () => {
    const r = ready('True');
    const term = { ...r, status: { ...r.status, containerStatuses: [{ name: 'app', restartCount: 0,
      state: { terminated: { exitCode: 137, reason: 'Error', finishedAt: T2 } } }] } };
    const evs = diffPod(pod(r), pod(term), AT);
    assert.deepEqual(types(evs), ['terminated']);
    const [t] = evs;
    assert.ok(isEvent(t, 'pod', 'terminated'));
    assert.equal(t.exitCode, 137);
    assert.equal(t.reason, 'Error');
    assert.equal(t.serverAt, ms(T2));
  });

  it('sees a restart that happened between two observations through lastState', () => {
    const r = ready('True');
    const restarted = { ...r, status: { ...r.status, containerStatuses: [{ name: 'app', restartCount: 1,
      lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: T2 } },
      state: { running: { startedAt: '2023-11-14T22:13:10Z' } } }] } };
    const evs = diffPod(pod(r), pod(restarted), AT);
    assert.deepEqual(types(evs), ['terminated', 'started']);
    const started = evs[1];
    assert.ok(isEvent(started, 'pod', 'started'));
    assert.equal(started.restartCount, 1);
    assert.deepEqual(types(diffPod(pod(restarted), pod(restarted), AT)), []);
  });

  it('reports the DisruptionTarget condition once, with its reason and message (an eviction)', () => {
    const r = ready('True');
    const marked = { ...r, status: { ...r.status, conditions: [...r.status.conditions,
      { type: 'DisruptionTarget', status: 'True', lastTransitionTime: T2, reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' }] } };
    const evs = diffPod(pod(r), pod(marked), AT);
    assert.deepEqual(types(evs), ['disruption']);
    const [d] = evs;
    assert.ok(isEvent(d, 'pod', 'disruption'));
    assert.deepEqual([d.reason, d.message, d.serverAt], ['EvictionByEvictionAPI', 'Eviction API: evicting', ms(T2)]);
    assert.deepEqual(types(diffPod(pod(marked), pod(marked), AT)), []);
  });

  it('describes each kind of preStop hook', () => {
    const c = (preStop: any): KubeObject => ({ spec: { containers: [{ name: 'a', lifecycle: { preStop } }] } });
    assert.equal(describePreStop(c({ sleep: { seconds: 5 } })), 'sleep 5s');
    assert.equal(describePreStop(c({ httpGet: { path: '/drain', port: 80 } })), 'httpGet /drain');
    assert.equal(describePreStop({ spec: { template: { spec: { containers: [{ name: 'a' }] } } } }), null);
  });
});

describe('diffPod created: the pod\'s own readinessProbe, whatever owns it', () => {
  it('says whether any container has a readinessProbe, with the owner', () => {
    const probed = pod({ spec: { containers: [{ name: 'side' }, { name: 'app', readinessProbe: { httpGet: { path: '/healthz', port: 8080 } } }] }, meta: { ownerReferences: [{ kind: 'StatefulSet', name: 'db' }] } });
    const [with_] = diffPod(undefined, probed, AT);
    const [without] = diffPod(undefined, pod(), AT);
    assert.ok(isEvent(with_, 'pod', 'created') && isEvent(without, 'pod', 'created'));
    assert.deepEqual([with_.owner, with_.readinessProbe, without.readinessProbe], ['StatefulSet/db', true, false]);
  });
});
