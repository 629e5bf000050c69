import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/types.js';
import { counts, replaceCache } from '../../src/watch/cache-diff.js';
import { mergeGaps } from '../../src/watch/status.js';

const obj = (name: string, rv: string): KubeObject => ({ metadata: { name, namespace: 'ns', resourceVersion: rv } });

describe('replaceCache (re-list after 410 Gone)', () => {
  it('reports objects added, changed and removed while the watch was gone, and nothing else', () => {
    const cache = new Map([['ns/a', obj('a', '1')], ['ns/b', obj('b', '2')], ['ns/c', obj('c', '3')]]);
    const changes = replaceCache(cache, [obj('a', '1'), obj('b', '7'), obj('d', '8')]);
    const names = changes.map(([o, c]) => `${o?.metadata?.name ?? '-'}>${c?.metadata?.name ?? '-'}`);
    assert.deepEqual(names, ['b>b', '->d', 'c>-']);
    assert.deepEqual(counts(changes), { added: 1, changed: 1, removed: 1 });
    assert.deepEqual([...cache.keys()].sort(), ['ns/a', 'ns/b', 'ns/d']);
    assert.equal(cache.get('ns/b')?.metadata?.resourceVersion, '7');
  });
});

describe('mergeGaps', () => {
  it('merges overlapping gaps of several resources into one naming each cause once', () => {
    const gaps = mergeGaps([
      { start: 100, end: 300, resource: 'pods', reason: 'API server unreachable (ECONNREFUSED)' },
      { start: 120, end: 350, resource: 'endpointslices', reason: 'API server unreachable (ECONNREFUSED)' },
      { start: 340, end: 400, resource: 'events', reason: 'watch closed by the server' },
      { start: 1000, end: 1100, resource: 'pods', reason: 'resourceVersion expired (410 Gone), re-listing' },
    ]);
    assert.deepEqual(gaps, [
      { start: 100, end: 400, reason: 'watch of pods, endpointslices: API server unreachable (ECONNREFUSED); watch of events: watch closed by the server' },
      { start: 1000, end: 1100, reason: 'watch of pods: resourceVersion expired (410 Gone), re-listing' },
    ]);
  });
});
