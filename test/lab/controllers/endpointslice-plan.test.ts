import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import { planEndpointSlices } from '../../../src/lab/controllers/endpointslice-plan.js';
import { pod } from './fixtures.js';

const svc: V1Service = {
  metadata: { name: 'web', namespace: 'default', uid: 'svc-uid' },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
};

test('one slice per service with ready/serving/terminating conditions per pod', () => {
  const pods = [
    pod({ name: 'a', ip: '127.1.1.1' }),
    pod({ name: 'b', ip: '127.1.1.2', ready: false }),
    pod({ name: 'c', ip: '127.1.1.3', deleting: true }),
    pod({ name: 'no-ip' }),
    pod({ name: 'other', ip: '127.1.1.9', labels: { app: 'db' } }),
  ];
  const plan = planEndpointSlices(svc, pods, []);
  assert.equal(plan.create.length, 1);
  const s = plan.create[0] as V1EndpointSlice;
  assert.equal(s.metadata?.generateName, 'web-');
  assert.equal(s.metadata?.labels?.['kubernetes.io/service-name'], 'web');
  assert.equal(s.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
  assert.equal(s.addressType, 'IPv4');
  assert.deepEqual(s.ports?.map((p) => [p.name, p.port]), [['http', 8080]]);
  const conds = Object.fromEntries((s.endpoints ?? []).map((e) => [e.targetRef?.name, e.conditions]));
  assert.deepEqual(conds, {
    a: { ready: true, serving: true, terminating: false },
    b: { ready: false, serving: false, terminating: false },
    c: { ready: false, serving: true, terminating: true },
  });
  assert.equal(s.endpoints?.[0]?.nodeName, 'node-1');
});

test('an unchanged slice is left alone, a changed one is updated in place', () => {
  const first = planEndpointSlices(svc, [pod({ name: 'a', ip: '127.1.1.1' })], []).create[0] as V1EndpointSlice;
  const stored = { ...first, metadata: { ...first.metadata, name: 'web-x7k2p', resourceVersion: '7' } };
  assert.deepEqual(planEndpointSlices(svc, [pod({ name: 'a', ip: '127.1.1.1' })], [stored]), { create: [], update: [], remove: [] });
  const plan = planEndpointSlices(svc, [], [stored]);
  assert.equal(plan.update.length, 1);
  assert.equal(plan.update[0]?.metadata?.name, 'web-x7k2p');
  assert.deepEqual(plan.update[0]?.endpoints, []);
});
