// Node and PodDisruptionBudget transitions: a cordon, a node going NotReady, taints; a PDB's allowed disruptions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/types.js';
import { diffNode } from '../../src/watch/diff-node.js';
import { diffPdb } from '../../src/watch/diff-pdb.js';

const AT = 1_700_000_100_000;
const T = '2023-11-14T22:13:05Z';

function node(o: { unschedulable?: boolean; ready?: 'True' | 'False' | 'Unknown'; taints?: Array<{ key: string; effect: string; value?: string }> } = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' },
    spec: { ...(o.unschedulable ? { unschedulable: true } : {}), ...(o.taints ? { taints: o.taints } : {}) },
    status: { conditions: [{ type: 'Ready', status: o.ready ?? 'True', reason: o.ready === 'Unknown' ? 'NodeStatusUnknown' : 'KubeletReady', lastTransitionTime: T }] },
  };
}
const types = (evs: ReturnType<typeof diffNode>): string[] => evs.map((e) => e.type);
const CORDON_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

describe('diffNode', () => {
  const cases: Array<[string, KubeObject | undefined, KubeObject, string[]]> = [
    ['a healthy node first seen says nothing', undefined, node(), []],
    ['a node first seen cordoned and NotReady says so', undefined, node({ unschedulable: true, ready: 'False' }), ['cordoned', 'not-ready']],
    ['kubectl cordon', node(), node({ unschedulable: true }), ['cordoned']],
    ['the node lifecycle controller adds the unschedulable taint', node({ unschedulable: true }), node({ unschedulable: true, taints: [CORDON_TAINT] }), ['taints']],
    ['kubectl uncordon', node({ unschedulable: true, taints: [CORDON_TAINT] }), node(), ['uncordoned', 'taints']],
    ['the kubelet stops reporting (Ready Unknown)', node(), node({ ready: 'Unknown' }), ['not-ready']],
    ['it reports Ready again', node({ ready: 'False' }), node(), ['ready']],
    ['a heartbeat changes nothing', node(), node(), []],
  ];
  for (const [name, old, cur, want] of cases) it(name, () => assert.deepEqual(types(diffNode(old, cur, AT)), want));

  it('carries the state after the change, the taints as key=value:effect, and the Ready transition time', () => {
    const [e] = diffNode(node(), node({ ready: 'Unknown', taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }, CORDON_TAINT] }), AT);
    assert.deepEqual({ ...e, at: 0 }, {
      at: 0, name: 'n1', serverAt: Date.parse(T), kind: 'node', type: 'not-ready', unschedulable: false, ready: null, reason: 'NodeStatusUnknown',
      taints: 'node.kubernetes.io/unreachable:NoExecute,node.kubernetes.io/unschedulable:NoSchedule',
    });
  });
});

const pdb = (status: Record<string, number>): KubeObject => ({
  apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'shop' },
  spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } }, status,
});

describe('diffPdb', () => {
  it('reports the allowed disruptions when they change, and not otherwise', () => {
    const ok = pdb({ disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 });
    const blocked = pdb({ disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 2 });
    const [e] = diffPdb(ok, blocked, AT);
    assert.deepEqual(e, { at: AT, name: 'web', namespace: 'shop', kind: 'pdb', type: 'status', budget: 'minAvailable 1', selector: 'app=web', disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 2 });
    assert.deepEqual(diffPdb(blocked, blocked, AT), []);
    assert.deepEqual(diffPdb(blocked, undefined, AT).map((x) => x.type), ['deleted']);
  });
});
