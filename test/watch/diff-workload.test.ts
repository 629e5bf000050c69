import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterEvent, KubeObject } from '../../src/types.js';
import { isEvent, type KubeEvent } from '../../src/watch/cluster-event.js';
import { diffCoreEvent } from '../../src/watch/diff-core-event.js';
import { diffDeployment, diffReplicaSet } from '../../src/watch/diff-workload.js';

/** An event's own fields, without the ones every event has. */
function own(e: ClusterEvent | undefined): Record<string, unknown> {
  const { at: _at, kind: _k, type: _t, name: _n, namespace: _ns, serverAt: _s, initial: _i, ...rest } = e ?? ({} as ClusterEvent);
  return rest;
}

function kubeEvent(e: ClusterEvent | undefined): KubeEvent {
  assert.ok(e?.kind === 'event');
  return e;
}

const AT = 1_700_000_000_000;

function deploy(generation: number, status: any, image = 'lab/web:1', revision = '1'): KubeObject {
  return {
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', generation, annotations: { 'deployment.kubernetes.io/revision': revision } },
    spec: { replicas: 3, template: { metadata: { labels: { app: 'web', version: 'v1' } }, spec: { containers: [{ name: 'app', image }] } } },
    status: { observedGeneration: generation, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, ...status },
  };
}

describe('diffDeployment and diffReplicaSet', () => {
  const cases: Array<[string, KubeObject | undefined, KubeObject | undefined, string[]]> = [
    ['a new deployment: created, spec, status', undefined, deploy(1, {}), ['created', 'spec', 'status']],
    ['same object: nothing', deploy(1, {}), deploy(1, {}), []],
    ['an image change bumps the generation only', deploy(1, {}), deploy(2, { observedGeneration: 1 }, 'lab/web:2'), ['spec']],
    ['the controller observes it', deploy(2, { observedGeneration: 1 }), deploy(2, {}), ['status']],
    ['replica counts move', deploy(2, {}), deploy(2, { updatedReplicas: 1, readyReplicas: 2 }), ['status']],
    ['the revision annotation moves', deploy(2, {}), deploy(2, {}, 'lab/web:1', '2'), ['status']],
    ['deleted', deploy(1, {}), undefined, ['deleted']],
  ];
  for (const [name, old, cur, want] of cases) {
    it(name, () => assert.deepEqual(diffDeployment(old, cur, AT).map((e) => e.type), want));
  }

  it('reports counts, revision and images', () => {
    const evs = diffDeployment(deploy(1, {}), deploy(2, { updatedReplicas: 1, unavailableReplicas: 1 }, 'lab/web:2', '2'), AT);
    assert.deepEqual(own(evs.find((e) => e.type === 'spec')), { generation: 2, replicas: 3, images: 'lab/web:2', version: 'v1', paused: false });
    assert.deepEqual(own(evs.find((e) => e.type === 'status')), {
      replicas: 3, ready: 3, available: 3, revision: '2', observedGeneration: 2, updated: 1, unavailable: 1, progressing: null,
    });
  });

  it('uses kind replicaset and leaves out deployment-only counts', () => {
    const rs = { ...deploy(1, {}), kind: 'ReplicaSet' };
    const [created, , status] = diffReplicaSet(undefined, rs, AT);
    assert.equal(created?.kind, 'replicaset');
    assert.ok(isEvent(status, 'replicaset', 'status'));
    assert.equal(status.updated, undefined);
  });
});

function coreEvent(reason: string, count: number, last: string, extra: any = {}): KubeObject {
  return {
    kind: 'Event', metadata: { name: `web-1.${reason}`, namespace: 'shop' }, reason, type: 'Warning', count,
    message: 'Readiness probe failed: HTTP probe failed with statuscode: 503', lastTimestamp: last,
    involvedObject: { kind: 'Pod', name: 'web-1' }, source: { component: 'kubelet' }, ...extra,
  };
}

describe('diffCoreEvent', () => {
  it('turns an Event into one ClusterEvent typed by its reason, named by its object', () => {
    const [e] = diffCoreEvent(undefined, coreEvent('Unhealthy', 1, '2023-11-14T22:13:20Z'), AT);
    assert.deepEqual(e, {
      at: AT, kind: 'event', type: 'Unhealthy', name: 'web-1', namespace: 'shop', serverAt: Date.parse('2023-11-14T22:13:20Z'),
      message: 'Readiness probe failed: HTTP probe failed with statuscode: 503', eventType: 'Warning',
      involvedKind: 'Pod', involvedName: 'web-1', count: 1, source: 'kubelet',
    });
  });

  it('reports each repetition of an aggregated Event and ignores unrelated updates', () => {
    const first = coreEvent('Unhealthy', 1, '2023-11-14T22:13:20Z');
    assert.equal(kubeEvent(diffCoreEvent(first, coreEvent('Unhealthy', 2, '2023-11-14T22:13:25Z'), AT)[0]).count, 2);
    assert.deepEqual(diffCoreEvent(first, { ...first }, AT), []);
    assert.deepEqual(diffCoreEvent(first, undefined, AT), []);
  });

  it('falls back to eventTime and series for events.k8s.io-style timestamps', () => {
    const e = coreEvent('Killing', 1, '', { lastTimestamp: null, eventTime: '2023-11-14T22:13:20.123456Z' });
    assert.equal(diffCoreEvent(undefined, e, AT)[0]?.serverAt, Date.parse('2023-11-14T22:13:20.123Z'));
    const s = coreEvent('BackOff', 1, '', { lastTimestamp: null, series: { count: 4, lastObservedTime: '2023-11-14T22:14:00.000000Z' } });
    const [ev] = diffCoreEvent(undefined, s, AT);
    assert.equal(kubeEvent(ev).count, 4);
    assert.equal(ev?.serverAt, Date.parse('2023-11-14T22:14:00Z'));
  });
});
