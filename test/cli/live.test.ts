import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveLine } from '../../src/cli/live.js';
import type { TimelinePoint, Totals } from '../../src/types.js';

const totals: Totals = { scheduled: 90, sent: 90, ok: 88, failed: 2, late: 0 };

test('the live line labels the versions that answered in the last second', () => {
  const point = { t: 3, scheduled: 30, sent: 30, ok: 30, failed: 0, late: 0, p99: 12, versions: { '1': 18, '2': 12 }, status: {}, errors: {} } as TimelinePoint;
  assert.equal(liveLine(point, totals, 4), 't=3s 30/s ok 30 failed 0 p99 12ms versions 1=60% 2=40% | total ok 88 failed 2 late 0 in flight 4');
});

test('the live line says when no version was seen', () => {
  const point = { t: 0, scheduled: 30, sent: 30, ok: 0, failed: 30, late: 0, p99: 3, versions: {}, status: {}, errors: { refused: 30 } } as TimelinePoint;
  assert.match(liveLine(point, totals, 0), /p99 3ms no version seen \|/);
});
