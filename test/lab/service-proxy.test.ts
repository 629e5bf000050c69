// The lab's L4 service proxy picks only ready endpoints for new connections.
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
