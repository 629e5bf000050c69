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

/** Histograms of several shapes, each built twice: by newHistogram() and by the package index. */
function shapes(): Array<{ name: string; fill(h: { recordValue(v: number): void; recordValueWithCount(v: number, n: number): void }): void }> {
  // the same numbers for both histograms: a generator per fill
  const randoms = (): (() => number) => {
    let seed = 7;
    return () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  };
  return [
    { name: 'empty', fill: () => undefined },
    { name: 'one value', fill: (h) => h.recordValue(1234) },
    { name: 'spread from 1 µs to 60 s', fill: (h) => { const random = randoms(); for (let i = 0; i < 5000; i++) h.recordValue(1 + Math.floor(random() ** 4 * 60e6)); } },
    { name: 'counts needing 3, 4 and 5 bytes', fill: (h) => { h.recordValueWithCount(500, 20_000); h.recordValueWithCount(9000, 3_000_000); h.recordValueWithCount(70_000, 300_000_000); } },
    { name: 'one zero between counts', fill: (h) => { h.recordValue(1); h.recordValue(3); h.recordValue(2048 + 4); } },
  ];
}

test('the codec writes the package\'s very text and reads it back count for count, whatever the shape', () => {
  for (const shape of shapes()) {
    const h = newHistogram();
    const reference = hdr.build({ numberOfSignificantValueDigits: 3 });
    shape.fill(h);
    shape.fill(reference);
    const text = encodeHistogram(h);
    assert.equal(text, hdr.encodeIntoCompressedBase64(reference), shape.name);
    for (const back of [decodeHistogram(text), decodeHistogram(hdr.encodeIntoCompressedBase64(reference))]) {
      const expected = hdr.decodeFromCompressedBase64(text);
      assert.equal(back.totalCount, reference.totalCount, shape.name);
      assert.equal(back.maxValue, expected.maxValue, shape.name);
      assert.equal(back.minNonZeroValue, expected.minNonZeroValue, shape.name);
      for (const p of [0, 50, 90, 99, 99.9, 100]) assert.equal(back.getValueAtPercentile(p), expected.getValueAtPercentile(p), `${shape.name} p${p}`);
      assert.equal(encodeHistogram(back), text, `${shape.name}: decoded and encoded again`);
    }
  }
});

test('text that is not an HdrHistogram encoding is refused, not read as an empty histogram', () => {
  assert.throws(() => decodeHistogram('aGVsbG8gd29ybGQ='), /not a compressed V2 HdrHistogram encoding/);
});
