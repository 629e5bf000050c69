import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, recording } from '../fixtures/recordings/build.js';
import * as scenarios from '../fixtures/recordings/scenarios.js';
import { renderHtml } from '../../src/report/html.js';
import { parseXmlShape } from './xml-check.js';

const html = () => renderHtml(analyse(recording(scenarios.terminatingEndpoint())));

test('the html report holds one inline svg timeline with bars, failures, p99 and event markers', () => {
  const h = html();
  const svg = h.slice(h.indexOf('<svg'), h.indexOf('</svg>') + 6);
  assert.equal(h.split('<svg').length, 2);
  const els = parseXmlShape(svg).elements;
  assert.ok(els.filter((e) => e.name === 'rect' && e.attrs['fill'] === '#d62728').length >= 1, 'failures in red');
  assert.ok(els.some((e) => e.name === 'polyline' && e.attrs['class'] === 'p99'), 'p99 line');
  assert.ok(els.filter((e) => e.name === 'circle').length >= 5, 'cluster markers');
  assert.match(svg, /<title>10:00:11\.200 pod web-5d8f-old01 deleting/);
  assert.ok(els.some((e) => e.name === 'rect' && e.attrs['class'] === 'incident'), 'incident window shaded');
});

test('the html report is self-contained: no script, no external reference', () => {
  const h = html();
  assert.ok(!/<script|<link|<img|@import|url\(/i.test(h));
  assert.ok(!/(src|href)=/i.test(h));
  const urls = h.match(/https?:\/\/[^\s"<]+/g) ?? [];
  assert.deepEqual(urls.filter((u) => !u.startsWith('http://www.w3.org/2000/svg') && !u.startsWith('http://shop.example.test/')), []);
});

test('the html report lists incidents with causes and fixes, escaped', () => {
  const s = analyse(recording(scenarios.terminatingEndpoint()));
  s.incidents[0]!.causes[0]!.evidence.push('<script>alert(1)</script>');
  const h = renderHtml(s);
  assert.match(h, /<code>terminating-endpoint<\/code>/);
  assert.match(h, /Fix: add a preStop hook/);
  assert.ok(h.includes('&lt;script&gt;') && !h.includes('<script>'));
});
