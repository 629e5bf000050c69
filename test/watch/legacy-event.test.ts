// Format-1 cluster events (fields in a `detail` bag) read into today's typed events.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { ClusterEvent } from '../../src/types.js';
import { upgradeEvent, type LegacyEvent } from '../../src/watch/legacy-event.js';

/** Event streams the watcher wrote in format 1 (watch tests with ZDPROBE_RECORD_FIXTURES, before typed events). */
const STREAMS = fileURLToPath(new URL('../../../test/fixtures/cluster/format-1/', import.meta.url));

const cases: Array<[string, LegacyEvent, ClusterEvent]> = [
  ['a route change: its kind becomes routeKind, the weight:<dest> keys one weights map',
    { at: 1, kind: 'route', type: 'changed', name: 'web', namespace: 'default',
      detail: { kind: 'VirtualService', routes: 'version=canary -> web-canary 100; * -> web 100', 'weight:web': 100, change: 'updated', generation: 2 } },
    { at: 1, kind: 'route', type: 'changed', name: 'web', namespace: 'default', routeKind: 'VirtualService',
      routes: 'version=canary -> web-canary 100; * -> web 100', weights: { web: 100 }, change: 'updated', generation: 2 }],
  ['a rollout step, initial',
    { at: 2, kind: 'rollout', type: 'step', name: 'web', detail: { flavor: 'kruise', step: 1, steps: 3, weight: null, replicas: 1, state: 'StepPaused', phase: 'Progressing', message: 'paused', change: 'updated', initial: true } },
    { at: 2, kind: 'rollout', type: 'step', name: 'web', initial: true, flavor: 'kruise', step: 1, steps: 3, weight: null, replicas: 1, state: 'StepPaused', phase: 'Progressing', message: 'paused', change: 'updated' }],
  ['a watch gap with its start, end and reason',
    { at: 3, kind: 'watch', type: 'gap', name: 'ingresses', namespace: 'default', detail: { resource: 'ingresses', reason: 'watch connection broke', start: 1, end: 3, ms: 2 } },
    { at: 3, kind: 'watch', type: 'gap', name: 'ingresses', namespace: 'default', resource: 'ingresses', reason: 'watch connection broke', start: 1, end: 3, ms: 2 }],
  ['a service: its type becomes serviceType',
    { at: 4, kind: 'service', type: 'created', name: 'web', detail: { selector: 'app=web', ports: '80->8080', type: 'ClusterIP' } },
    { at: 4, kind: 'service', type: 'created', name: 'web', selector: 'app=web', ports: '80->8080', serviceType: 'ClusterIP' }],
  ['a deletion that only said it had a preStop hook',
    { at: 5, serverAt: 4, kind: 'pod', type: 'deleting', name: 'web-1', detail: { ip: '10.0.0.1', node: 'n', gracePeriodSeconds: 20, hasPreStop: true, deadline: 24 } },
    { at: 5, serverAt: 4, kind: 'pod', type: 'deleting', name: 'web-1', ip: '10.0.0.1', node: 'n', gracePeriodSeconds: 20, preStop: 'unknown', deadline: 24 }],
];

describe('upgradeEvent', () => {
  for (const [name, old, want] of cases) it(name, () => assert.deepEqual(upgradeEvent(old), want));

  it('refuses a kind format 1 never wrote', () => {
    assert.throws(() => upgradeEvent({ at: 1, kind: 'node', type: 'ready', name: 'n1', detail: {} }), /unknown cluster event kind "node"/);
  });

  it('reads every event of the recorded format-1 streams, keeping kind, type, name and times', () => {
    const files = readdirSync(STREAMS).filter((f) => f.endsWith('.ndjson'));
    assert.ok(files.length >= 4);
    for (const f of files) {
      const old = readFileSync(join(STREAMS, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as LegacyEvent);
      for (const e of old) {
        const typed = upgradeEvent(e);
        assert.deepEqual([typed.at, typed.kind, typed.type, typed.name, typed.initial === true], [e.at, e.kind, e.type, e.name, e.detail?.['initial'] === true], f);
        assert.ok(!('detail' in typed));
      }
    }
  });
});
