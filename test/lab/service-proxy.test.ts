// The lab's L4 service proxy picks ready endpoints for new connections, and falls back to serving
// terminating ones when none is ready, as kube-proxy does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readyEndpoints } from '../../src/lab/service-proxy.js';
import type { KubeObject } from '../../src/types.js';

const slice = (endpoints: Array<[string, boolean, boolean?]>): KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abc' },
  ports: [{ port: 8080 }],
  endpoints: endpoints.map(([ip, ready, terminating]) => ({ addresses: [ip], conditions: { ready, serving: ready || !!terminating, terminating: !!terminating } })),
}) as KubeObject;

test('ready endpoints only: terminating and not-ready ones get no new connection', () => {
  const got = readyEndpoints([slice([['127.9.9.3', true], ['127.9.9.2', false, true], ['127.9.9.4', false]])]);
  assert.deepEqual(got, [{ ip: '127.9.9.3', port: 8080 }]);
});

test('a slice without ports contributes nothing', () => {
  assert.deepEqual(readyEndpoints([{ ...slice([['127.9.9.3', true]]), ports: [] } as KubeObject]), []);
});

test('no ready endpoint: new connections go to the serving terminating ones (kube-proxy fallback)', () => {
  const got = readyEndpoints([slice([['127.9.9.2', false, true], ['127.9.9.4', false]])]);
  assert.deepEqual(got, [{ ip: '127.9.9.2', port: 8080 }]);
});

test('a terminating endpoint that stopped serving gets nothing, even as the last one', () => {
  const gone = { ...slice([]), endpoints: [{ addresses: ['127.9.9.2'], conditions: { ready: false, serving: false, terminating: true } }] } as KubeObject;
  assert.deepEqual(readyEndpoints([gone]), []);
});
