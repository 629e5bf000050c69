// HTTP/2 and gRPC failure kinds in the cause rules: a stream cut mid-request is cut in-flight work like a
// reset, a stream the server never took is like a refused connect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, endpoint, podDeleting, podStart, terminated } from '../fixtures/recordings/build.js';
import { abruptShutdown } from '../../src/analyze/causes/abrupt-shutdown.js';
import { notReadyTraffic } from '../../src/analyze/causes/not-ready-traffic.js';
import { upstreamKeepaliveRace } from '../../src/analyze/causes/upstream-keepalive-race.js';
import { gracePeriodExceeded } from '../../src/analyze/causes/grace-period-exceeded.js';
import { isCut, isNotTaken, isServingFailure } from '../../src/analyze/causes/kinds.js';
import type { IncidentInput } from '../../src/analyze/causes/index.js';
import type { ClusterEvent, Sample } from '../../src/types.js';
import { resultOf } from '../../src/classify/classify.js';

/** A failed request of kind `kind` (an error class, a gRPC code or an HTTP status), sent at `s` seconds, ending `ms` later. */
function failure(kind: string, s: number, ms: number): Sample {
  const base: Sample = { seq: Math.round(s * 1000), intended: at(s), sent: at(s), mode: 'reuse', outcome: 'failed', latencyMs: ms };
  if (/^\d+$/.test(kind)) return { ...base, status: Number(kind) };
  if (/^[A-Z_]+$/.test(kind)) return { ...base, code: kind };
  return { ...base, error: kind as Sample['error'] };
}

function incident(samples: Sample[]): IncidentInput {
  const kinds: Record<string, number> = {};
  for (const s of samples) kinds[resultOf(s)] = (kinds[resultOf(s)] ?? 0) + 1;
  const start = Math.min(...samples.map((s) => s.intended));
  const end = Math.max(...samples.map((s) => s.intended));
  return { start, end, failed: samples.length, kinds, modes: { reuse: samples.length }, samples, connection: 'both' };
}

const POD = 'web-5d8f-old01';
/** Deleted at 10 s with a 3 s preStop (SIGTERM at 13 s), exits 20 ms after SIGTERM. */
const stop: ClusterEvent[] = [
  podDeleting(10, POD, { ip: '10.0.0.11', preStop: 'sleep 3s' }),
  endpoint(10.05, 'terminating', POD, '10.0.0.11', { ready: false, terminating: true }),
  terminated(13.02, POD, 143, 'Error'),
];

test('the kind table: cut in flight, never taken, and both as serving failures', () => {
  for (const k of ['reset', 'stream-reset', 'CANCELLED', 'UNAVAILABLE', '502', '503', 'timeout']) assert.ok(isCut(k), k);
  for (const k of ['refused', 'refused-stream', 'goaway']) assert.ok(isNotTaken(k) && !isCut(k), k);
  for (const k of ['refused-stream', 'stream-reset', 'CANCELLED', 'UNAVAILABLE']) assert.ok(isServingFailure(k), k);
  for (const k of ['200', '404', 'OK', 'dns', 'tls']) assert.ok(!isServingFailure(k), k);
});

for (const kind of ['stream-reset', 'CANCELLED', 'UNAVAILABLE']) {
  test(`a ${kind} on a request in flight at SIGTERM is abrupt-shutdown's cut work`, () => {
    // Sent before the delete and still running at SIGTERM (13 s): the exit cut it.
    const c = abruptShutdown(incident([failure(kind, 9.5, 3520), failure(kind, 9.8, 3220)]), stop, []);
    assert.equal(c?.id, 'abrupt-shutdown');
    assert.match(c!.evidence.join('\n'), new RegExp(`2 failures \\(2× ${kind}\\)`));
  });
}

test('a refused stream at SIGTERM is not cut in-flight work: the server never took it', () => {
  assert.equal(abruptShutdown(incident([failure('refused-stream', 13.01, 5)]), stop, []), undefined);
});

test('a GOAWAY counts as cut only for a stream sent before SIGTERM', () => {
  const before = abruptShutdown(incident([failure('goaway', 12, 1030)]), stop, []);
  assert.equal(before?.id, 'abrupt-shutdown');
  assert.equal(abruptShutdown(incident([failure('goaway', 13.01, 5)]), stop, []), undefined);
});

test('refused streams and gRPC UNAVAILABLE from a fresh pod without readinessProbe are not-ready traffic', () => {
  const events: ClusterEvent[] = [...podStart(5, 'web-7f9c-new01', '10.0.0.12', 5.25), endpoint(5.3, 'added', 'web-7f9c-new01', '10.0.0.12', { ready: true })];
  const fresh = (kind: string): Sample => ({ ...failure(kind, 6, 3), remote: '10.0.0.12:8080' });
  for (const kind of ['refused-stream', 'UNAVAILABLE', 'stream-reset']) {
    assert.equal(notReadyTraffic(incident([fresh(kind)]), events, [])?.id, 'not-ready-traffic', kind);
  }
  assert.equal(notReadyTraffic(incident([fresh('dns')]), events, []), undefined);
});

test('a lone gRPC UNAVAILABLE with nothing changing is the proxy\'s upstream keep-alive race, like Envoy\'s 503', () => {
  const quiet: ClusterEvent[] = [endpoint(0, 'added', POD, '10.0.0.11', { ready: true, initial: true })];
  assert.equal(upstreamKeepaliveRace(incident([failure('UNAVAILABLE', 30, 4)]), quiet, [])?.id, 'upstream-keepalive-race');
  assert.equal(upstreamKeepaliveRace(incident([failure('stream-reset', 30, 4)]), quiet, []), undefined);
});

test('a request refused at the grace deadline was not in flight at the kill', () => {
  const killed: ClusterEvent[] = [podDeleting(10, POD, { grace: 2, preStop: null }), terminated(12.05, POD, 137, 'Error')];
  assert.equal(gracePeriodExceeded(incident([failure('refused-stream', 12.06, 2)]), killed, []), undefined);
  assert.equal(gracePeriodExceeded(incident([failure('stream-reset', 11, 1050)]), killed, [])?.id, 'grace-period-exceeded');
});
