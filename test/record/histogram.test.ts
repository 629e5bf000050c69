import { test } from 'node:test';
import assert from 'node:assert/strict';
import hdr from 'hdr-histogram-js';
import { decodeHistogram, encodeHistogram, latencyOf, newHistogram, recordMs } from '../../src/record/histogram.js';

test('the histograms built and decoded from the package files are the index\'s, and encode the same', () => {
  const h = newHistogram();
  for (const ms of [0.2, 1.5, 3, 250]) recordMs(h, ms);
  const reference = hdr.build({ numberOfSignificantValueDigits: 3 });
  for (const ms of [0.2, 1.5, 3, 250]) reference.recordValue(Math.max(1, Math.round(ms * 1000)));
  assert.ok(h instanceof hdr.JsHistogram);
  assert.equal(encodeHistogram(h), hdr.encodeIntoCompressedBase64(reference));
  const back = decodeHistogram(encodeHistogram(h));
  assert.ok(back instanceof hdr.JsHistogram);
  assert.deepEqual(latencyOf(back), latencyOf(hdr.decodeFromCompressedBase64(hdr.encodeIntoCompressedBase64(reference))));
});
