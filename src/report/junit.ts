// Summary -> JUnit XML: a testcase per gate check, per incident and per traffic split, for CI test views.
import type { Summary } from '../types.js';
import { clockTime, kindsText } from '../format-time.js';
import { esc } from './xml.js';
import { splitVerdict } from './split-verdict.js';

interface Case { classname: string; name: string; failure?: { message: string; text: string } }

function gateCases(s: Summary): Case[] {
  return s.gate.checks.map((c) => ({
    classname: 'zdprobe.gate', name: c.name,
    ...(c.passed ? {} : { failure: { message: c.reason ?? 'failed', text: c.reason ?? 'failed' } }),
  }));
}

/** A testcase per target of a plan: it fails when any of its requests was dropped. */
function targetCases(s: Summary): Case[] {
  const entries = Object.entries(s.targets ?? {});
  if (entries.length < 2) return [];
  return entries.map(([name, t]) => {
    const dropped = t.totals.failed + t.totals.late;
    const text = `${dropped} of ${t.totals.scheduled} requests to ${t.url} dropped`;
    return { classname: 'zdprobe.targets', name: `target ${name}`, ...(dropped ? { failure: { message: text, text } } : {}) };
  });
}

function incidentCases(s: Summary): Case[] {
  return s.incidents.map((inc) => {
    const name = `incident ${clockTime(inc.start)}–${clockTime(inc.end)}: ${inc.failed} failed (${kindsText(inc.kinds)})`;
    const ids = inc.causes.map((c) => c.id).join(', ');
    const text = [...inc.causes.map((c) => [`cause ${c.id}`, ...c.evidence.map((e) => `  - ${e}`), `  fix: ${c.fix}`].join('\n')), ...(inc.notes ?? []).map((n) => `note: ${n}`)].join('\n\n');
    return { classname: 'zdprobe.incidents', name, failure: { message: `${inc.failed} request(s) failed; cause: ${ids}`, text } };
  });
}

function splitCases(s: Summary): Case[] {
  return s.splits.map((sp) => {
    const shares = Object.keys(sp.declared).map((k) => `${k} declared ${sp.declared[k]}% observed ${sp.observed[k] ?? 0}%`).join(', ');
    const name = `split ${sp.source} ${clockTime(sp.start)}–${clockTime(sp.end)}`;
    return { classname: 'zdprobe.splits', name, ...(splitVerdict(sp) !== 'mismatch' ? {} : { failure: { message: `observed shares differ from the declared weights: ${shares}`, text: `${shares} (n=${sp.n}, 99.9% Wilson interval)` } }) };
  });
}

function suite(name: string, cases: Case[], timestamp: string, seconds: string): string {
  const failures = cases.filter((c) => c.failure).length;
  const body = cases.map((c) => {
    const open = `    <testcase classname="${esc(c.classname)}" name="${esc(c.name)}" time="0"`;
    if (!c.failure) return `${open}/>`;
    return `${open}>\n      <failure message="${esc(c.failure.message)}" type="failure">${esc(c.failure.text)}</failure>\n    </testcase>`;
  });
  return [`  <testsuite name="${esc(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" timestamp="${timestamp}" time="${seconds}">`, ...body, '  </testsuite>'].join('\n');
}

export function renderJunit(s: Summary): string {
  const timestamp = new Date(s.startedAt).toISOString().replace(/\.\d+Z$/, '');
  const seconds = ((s.endedAt - s.startedAt) / 1000).toFixed(3);
  const suites: Array<[string, Case[]]> = [['zdprobe gate', gateCases(s)], ['zdprobe targets', targetCases(s)], ['zdprobe incidents', incidentCases(s)], ['zdprobe splits', splitCases(s)]];
  const kept = suites.filter(([, cases]) => cases.length > 0);
  const tests = kept.reduce((a, [, c]) => a + c.length, 0);
  const failures = kept.reduce((a, [, c]) => a + c.filter((x) => x.failure).length, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="zdprobe ${esc(s.target)}" tests="${tests}" failures="${failures}" errors="0" time="${seconds}">`,
    ...kept.map(([name, cases]) => suite(name, cases, timestamp, seconds)),
    '</testsuites>',
    '',
  ].join('\n');
}
