import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint, EndpointSlice, KubeObject } from '../../src/kube/object.js';
import { diffEndpointSlice } from '../../src/watch/diff-endpoints.js';
import { applySlice, type SliceView } from '../../src/watch/endpoint-view.js';

const AT = 1_700_000_000_000;

type Cond = { ready?: boolean; serving?: boolean; terminating?: boolean };
const ep = (ip: string, pod: string, conditions: Cond) =>
  ({ addresses: [ip], conditions, targetRef: { kind: 'Pod', name: pod } });

function slice(...endpoints: Endpoint[]): EndpointSlice {
  return {
    kind: 'EndpointSlice',
    metadata: { name: 'web-abc', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'web' },
      annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': '2023-11-14T22:13:20Z' } },
    endpoints,
  };
}

const READY = { ready: true, serving: true, terminating: false };
const DRAINING = { ready: false, serving: true, terminating: true };
const GONE_UNREADY = { ready: false, serving: false, terminating: true };

const summary = (evs: ReturnType<typeof diffEndpointSlice>): string[] => evs.map((e) => `${e.type} ${e.name}`);

describe('diffEndpointSlice', () => {
  const cases: Array<[string, KubeObject | undefined, KubeObject | undefined, string[]]> = [
    ['a new slice adds each address', undefined, slice(ep('10.0.0.1', 'a', READY), ep('10.0.0.2', 'b', {})),
      ['added a', 'added b']],
    ['an unchanged slice says nothing', slice(ep('10.0.0.1', 'a', READY)), slice(ep('10.0.0.1', 'a', READY)), []],
    ['a pod that starts terminating but still serves', slice(ep('10.0.0.1', 'a', READY)), slice(ep('10.0.0.1', 'a', DRAINING)),
      ['terminating a', 'not-ready a']],
    ['a terminating pod stops serving', slice(ep('10.0.0.1', 'a', DRAINING)), slice(ep('10.0.0.1', 'a', GONE_UNREADY)),
      ['not-serving a']],
    ['a new pod becomes ready', slice(ep('10.0.0.3', 'c', { ready: false, serving: false })),
      slice(ep('10.0.0.3', 'c', READY)), ['serving c', 'ready c']],
    ['an address leaves the slice', slice(ep('10.0.0.1', 'a', READY), ep('10.0.0.2', 'b', READY)),
      slice(ep('10.0.0.2', 'b', READY)), ['removed a']],
    ['a deleted slice removes every address', slice(ep('10.0.0.1', 'a', READY)), undefined, ['removed a']],
    ['absent conditions mean ready and serving', slice(ep('10.0.0.1', 'a', {})), slice(ep('10.0.0.1', 'a', READY)), []],
  ];
  for (const [name, old, cur, want] of cases) it(name, () => assert.deepEqual(summary(diffEndpointSlice(old, cur, AT)), want));

  it('carries address, pod, slice, service and the state after the change', () => {
    const [e] = diffEndpointSlice(slice(ep('10.0.0.1', 'a', READY)), slice(ep('10.0.0.1', 'a', GONE_UNREADY)), AT);
    assert.deepEqual(e, {
      at: AT, kind: 'endpoint', type: 'terminating', name: 'a', namespace: 'shop',
      address: '10.0.0.1', pod: 'a', slice: 'web-abc', service: 'web', ready: false, serving: false,
      terminating: true, triggeredAt: Date.parse('2023-11-14T22:13:20Z'),
    });
  });

  it('names an address without a pod by its address', () => {
    const [e] = diffEndpointSlice(undefined, slice({ addresses: ['10.0.0.9'] }), AT);
    assert.equal(e?.name, '10.0.0.9');
    assert.ok(e?.kind === 'endpoint');
    assert.equal(e.pod, null);
  });
});

describe('applySlice (all slices of a service as one)', () => {
  const named = (name: string, ...eps: any[]): KubeObject => ({ ...slice(...eps), metadata: { ...slice().metadata, name } });
  const diffVia = (view: SliceView, old: KubeObject | undefined, cur: KubeObject | undefined): string[] =>
    summary(diffEndpointSlice(...applySlice(view, old, cur), AT));

  it('does not report an address that moves from one slice to another', () => {
    const view: SliceView = new Map();
    const a1 = named('s1', ep('10.0.0.1', 'a', READY), ep('10.0.0.2', 'b', READY));
    assert.deepEqual(diffVia(view, undefined, a1), ['added a', 'added b']);
    const b2 = named('s2', ep('10.0.0.2', 'b', READY));
    assert.deepEqual(diffVia(view, undefined, b2), []);
    assert.deepEqual(diffVia(view, a1, named('s1', ep('10.0.0.1', 'a', READY))), []);
    assert.deepEqual(diffVia(view, b2, undefined), ['removed b']);
  });

  it('reports flips of an address in any slice, and removal when its last slice goes', () => {
    const view: SliceView = new Map();
    const s1 = named('s1', ep('10.0.0.1', 'a', READY));
    diffVia(view, undefined, s1);
    const s1b = named('s1', ep('10.0.0.1', 'a', DRAINING));
    assert.deepEqual(diffVia(view, s1, s1b), ['terminating a', 'not-ready a']);
    assert.deepEqual(diffVia(view, s1b, undefined), ['removed a']);
    assert.equal(view.size, 0);
  });
});
