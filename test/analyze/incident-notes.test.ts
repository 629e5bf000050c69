// Incident notes: when the probe's own timeout hid the answer an L7 proxy would have given, and why the
// client's reuse/new split says nothing behind one (keepalive-reuse stays silent there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { analyse, recording, snapshot, service, webDeployment, type FailureSpec, type RecordingSpec } from '../fixtures/recordings/build.js';
import * as scenarios from '../fixtures/recordings/scenarios.js';
import type { KubeObject, Summary } from '../../src/types.js';
import { runCli } from '../helpers/cli.js';

const ingress = (klass: string, host?: string, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop', ...(annotations ? { annotations } : {}) },
  spec: { ingressClassName: klass, rules: [{ ...(host ? { host } : {}), http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
});
const virtualService = (host: string): KubeObject => ({
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'web', namespace: 'shop' },
  spec: { hosts: [host], http: [{ route: [{ destination: { host: 'web' } }] }] },
});
const clusterIp = (ip: string): KubeObject => ({ ...service(), spec: { ...service().spec, clusterIP: ip } });

/** SEEDS pattern 5 as Traefik showed it on the real node: a few 502s, then dials into the gone pod that hang past the probe's 2 s. */
function hangingDials(url: string, routes: KubeObject[]): RecordingSpec {
  const failures: FailureSpec[] = [{ s: 11.3, status: 502 }, { s: 11.35, status: 502 },
    ...[11.5, 11.6, 11.7, 11.8].map((s) => ({ s, error: 'timeout' as const, latencyMs: 2000 }))];
  return { seconds: 20, rps: 20, config: { url, timeoutMs: 2000 }, failures, snapshots: [snapshot(0, [clusterIp('10.96.0.10'), webDeployment(), ...routes])] };
}

const notesOf = (s: Summary): string[] => s.incidents.flatMap((i) => i.notes ?? []);

test('timeouts through a Traefik Ingress say Traefik would have answered 504 after its 30 s dial timeout', () => {
  const [note, more] = notesOf(analyse(recording(hangingDials('http://127.0.0.1:8080/', [ingress('traefik')]))));
  assert.match(note ?? '', /^4 requests ended at the probe's own 2 s timeout on a path through Traefik, via Ingress web, class traefik/);
  assert.match(note ?? '', /would have answered 504 after its 30 s connect timeout/);
  assert.equal(more, undefined);
});

test('an ingress-nginx annotation below the probe timeout leaves only the read timeout to hide', () => {
  const routes = [ingress('nginx', 'shop.example.test', { 'nginx.ingress.kubernetes.io/proxy-connect-timeout': '1' })];
  const [note] = notesOf(analyse(recording(hangingDials('http://shop.example.test/', routes))));
  assert.match(note ?? '', /through ingress-nginx/);
  assert.doesNotMatch(note ?? '', /connect timeout/);
  assert.match(note ?? '', /504 after its 60 s read timeout/);
  assert.match(note ?? '', /proxy_next_upstream/);
});

test('a VirtualService for the probe\'s host puts Envoy on the path: 503 (UF) after its 10 s connect timeout', () => {
  const [note] = notesOf(analyse(recording(hangingDials('http://shop.example.test/', [virtualService('shop.example.test')]))));
  assert.match(note ?? '', /through Envoy \(Istio\), via VirtualService web: the proxy would have answered 503 \(UF\) after its 10 s connect timeout/);
});

test('a probe of the Service\'s ClusterIP is L4: its timeouts hide no proxy answer', () => {
  assert.deepEqual(notesOf(analyse(recording(hangingDials('http://10.96.0.10/', [ingress('nginx')])))), []);
});

test('with no route object watched the note says the path is not known', () => {
  const [note] = notesOf(analyse(recording(hangingDials('http://127.0.0.1:8080/', []))));
  assert.match(note ?? '', /whether an L7 proxy was on the path is not known/);
});

test('the real-node rollout through the nginx Ingress says the proxy would have answered after its timeouts', async () => {
  const file = fileURLToPath(new URL('../../../test/fixtures/real/terminating-endpoint.ndjson', import.meta.url));
  const r = await runCli(['report', file, '--format', 'json']);
  const notes = notesOf(JSON.parse(r.stdout) as Summary);
  assert.equal(notes.length, 1, notes.join('\n'));
  assert.match(notes[0]!, /^42 requests ended at the probe's own 2 s timeout on a path through ingress-nginx/);
});

test('failures on reused connections behind an L7 proxy are not keepalive-reuse, and a note says why', () => {
  const spec = scenarios.keepaliveReuse();
  spec.config = { url: 'http://127.0.0.1:8080/' };
  spec.snapshots = spec.snapshots!.map((s) => ({ ...s, objects: [...s.objects, ingress('nginx')] }));
  const [inc] = analyse(recording(spec)).incidents;
  assert.ok(!inc!.causes.some((c) => c.id === 'keepalive-reuse'), inc!.causes.map((c) => c.id).join());
  assert.match((inc!.notes ?? []).join('\n'), /3 of 3 failures were on reused client connections, but they went through ingress-nginx.*says nothing about the pods/);
});

test('the same failures on the client\'s own connections (resets: no proxy answered) still are keepalive-reuse', () => {
  const spec = scenarios.keepaliveReuse();
  spec.config = { url: 'http://127.0.0.1:8080/' };
  spec.failures = spec.failures!.map(({ status: _s, ...f }) => ({ ...f, error: 'reset' as const }));
  spec.snapshots = spec.snapshots!.map((s) => ({ ...s, objects: [...s.objects, ingress('nginx')] }));
  const [inc] = analyse(recording(spec)).incidents;
  assert.deepEqual(inc!.causes.map((c) => c.id), ['keepalive-reuse']);
  assert.equal(inc!.notes, undefined);
});
