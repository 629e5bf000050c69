import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, recording } from '../fixtures/recordings/build.js';
import * as scenarios from '../fixtures/recordings/scenarios.js';
import { renderHtml } from '../../src/report/html.js';
import { parseXmlShape } from './xml-check.js';
import { COMMAND, FAIL, KIND_COLOR, LATE, P99, PALETTE } from '../../src/report/html-timeline.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderTerminal } from '../../src/report/terminal.js';

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

/** The terminating-endpoint run with what a real run carries: messages, instances, a deploy command. */
function realistic() {
  const s = analyse(recording(scenarios.terminatingEndpoint()));
  s.failures.forEach((f, i) => {
    f.message = f.error === 'refused' ? 'connect ECONNREFUSED 10.0.0.11:8080' : `upstream said ${f.status}`;
    f.instance = i % 2 ? 'web-5d8f-old01' : 'web-7f9c-new01';
  });
  s.command = { argv: ['kubectl', '<redacted>'], startedAt: s.startedAt + 5000, endedAt: s.startedAt + 12_000, exitCode: 0, signal: null };
  return s;
}

/** The text of every <td> outside the chart: what a reader sees without hovering. */
const cells = (h: string): string[] => [...h.replace(/<svg[\s\S]*<\/svg>/, '').matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]!);

test('the html report shows connections, results, failed requests, instances and cluster events as tables', () => {
  const h = renderHtml(realistic());
  for (const title of ['Requests by connection', 'Results', 'Failures by class', 'Failed requests', 'Failures by instance', 'Cluster events']) {
    assert.match(h, new RegExp(`<h2>${title}</h2>\\s*<table>`), title);
  }
  const td = cells(h);
  for (const text of ['reuse connection', 'new connection', 'HTTP 502', 'connect ECONNREFUSED 10.0.0.11:8080', 'web-5d8f-old01', 'deleting', 'terminating']) {
    assert.ok(td.some((c) => c.includes(text)), `a table cell shows ${text}`);
  }
});

test('each failure class shows one real message in the table, md and html reports', () => {
  const s = realistic();
  for (const text of [renderTerminal(s), renderMarkdown(s), renderHtml(s)]) {
    assert.match(text, /refused[^\n]*connect ECONNREFUSED 10\.0\.0\.11:8080/);
    assert.match(text, /HTTP 502[^\n]*upstream said 502/);
  }
});

test('inline code in causes and fixes is rendered as <code>, still escaped', () => {
  const s = realistic();
  s.incidents[0]!.causes[0]!.fix = 'add `lifecycle.preStop` with `sleep 5` <now>';
  assert.match(renderHtml(s), /Fix: add <code>lifecycle\.preStop<\/code> with <code>sleep 5<\/code> &lt;now&gt;/);
});

test('every colour in the chart means one thing', () => {
  const colours = [...PALETTE, FAIL, LATE, P99, COMMAND, ...new Set(Object.values(KIND_COLOR))];
  assert.equal(new Set(colours.map((c) => c.toLowerCase())).size, colours.length, colours.join(' '));
});

test('times are UTC and each report names the date and the zone once', () => {
  const s = realistic();
  const day = new Date(s.startedAt).toISOString().slice(0, 10);
  for (const text of [renderTerminal(s), renderMarkdown(s), renderHtml(s)]) assert.match(text, new RegExp(`${day} \\d\\d:\\d\\d:\\d\\d\\.\\d{3} UTC \\(all times UTC\\)`));
});

test("the deploy command's start and end are marked on the timeline, readable without hovering", () => {
  const h = renderHtml(realistic());
  const svg = h.slice(h.indexOf('<svg'), h.indexOf('</svg>'));
  assert.equal((svg.match(/<g class="command">/g) ?? []).length, 2);
  assert.match(svg, /<text[^>]*>command started \d\d:\d\d:\d\d\.\d{3}<\/text>/);
  assert.match(svg, /<text[^>]*>command ended \(0\) \d\d:\d\d:\d\d\.\d{3}<\/text>/);
  assert.match(h, /Deploy command <code>kubectl &lt;redacted&gt;<\/code>: started/);
});
