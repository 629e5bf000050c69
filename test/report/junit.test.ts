import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, recording } from '../fixtures/recordings/build.js';
import * as scenarios from '../fixtures/recordings/scenarios.js';
import { renderJunit } from '../../src/report/junit.js';
import { parseXmlShape } from './xml-check.js';

const cases = (xml: string) => parseXmlShape(xml).elements.filter((e) => e.name === 'testcase');

test('junit is well-formed XML with a testcase per gate check, incident and split', () => {
  const s = analyse(recording(scenarios.routeConfig()));
  const xml = renderJunit(s);
  const els = parseXmlShape(xml).elements;
  const tc = cases(xml);
  const expected = s.gate.checks.length + s.incidents.length + s.splits.length;
  assert.equal(tc.length, expected);
  assert.equal(els[0]!.name, 'testsuites');
  assert.equal(els[0]!.attrs['tests'], String(expected));
  const failures = els.filter((e) => e.name === 'failure').length;
  assert.equal(els[0]!.attrs['failures'], String(failures));
  assert.equal(failures, s.gate.checks.filter((c) => !c.passed).length + s.incidents.length + s.splits.filter((x) => !x.passed).length);
  assert.match(xml, /cause: route-config/);
});

test('a clean run has only passing gate testcases', () => {
  const s = analyse(recording(scenarios.cleanRollout()));
  const xml = renderJunit(s);
  assert.equal(cases(xml).length, s.gate.checks.length);
  assert.ok(!xml.includes('<failure'));
});

test('markup in messages is escaped', () => {
  const s = analyse(recording(scenarios.unexplained()));
  s.incidents[0]!.causes[0]!.evidence.push('a <b> & "c" \u0001');
  const xml = renderJunit(s);
  parseXmlShape(xml);
  assert.match(xml, /a &lt;b&gt; &amp; &quot;c&quot; /);
});

test('the checker itself rejects broken XML', () => {
  assert.throws(() => parseXmlShape('<a><b></a></b>'));
  assert.throws(() => parseXmlShape('<a x=1/>'));
  assert.throws(() => parseXmlShape('<a>1 & 2</a>'));
});
