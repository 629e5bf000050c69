import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, parseHeader, parseRate, parseStatusRanges, parseUrl } from '../../src/cli/parse.js';

test('durations accept ms, s, m, h and bare seconds', () => {
  assert.deepEqual(['250ms', '5s', '2m', '1h', '1.5'].map((d) => parseDuration(d, '--x')), [250, 5000, 120_000, 3_600_000, 1500]);
  assert.throws(() => parseDuration('5 sec', '--settle'), { code: 'usage', message: /--settle "5 sec" is not a duration/ });
});

test('failure rates accept fractions and percentages', () => {
  assert.equal(parseRate('0.5%', 'f'), 0.005);
  assert.equal(parseRate('0.01', 'f'), 0.01);
  assert.throws(() => parseRate('150%', 'f'), { code: 'usage' });
});

test('status ranges', () => {
  assert.deepEqual(parseStatusRanges('200-299, 404', 'f'), [[200, 299], [404, 404]]);
  assert.throws(() => parseStatusRanges('2xx', 'f'), { code: 'usage' });
});

test('headers and URLs', () => {
  assert.deepEqual(parseHeader('Host: shop.example.com'), ['Host', 'shop.example.com']);
  assert.throws(() => parseHeader('nocolon'), { code: 'usage' });
  assert.throws(() => parseUrl('ftp://x/'), { code: 'usage', message: /only http/ });
  assert.throws(() => parseUrl('not a url'), { code: 'usage', message: /not a valid URL/ });
});
