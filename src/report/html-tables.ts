// The HTML report's data as tables a reader can scan and copy: connection modes, results, failure
// classes, each failed request, failures by instance (pod) and the cluster events, nothing only on hover.
import type { ClusterEvent, Summary } from '../types.js';
import { clockTime, offset } from '../format-time.js';
import { classOf, failureClasses, statusName } from './failure-classes.js';
import { esc } from './xml.js';

/** Escaped text with `inline code` (as causes, fixes and findings write it) rendered as <code>. */
export const inline = (text: unknown): string => esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');

/** Cells are text with inline code; a table gets a heading only when it has rows. */
export function rowsTable(head: string[], rows: unknown[][]): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><tr>${th}</tr>\n${body}</table>`;
}

const section = (title: string, rows: unknown[][], head: string[], note = ''): string[] =>
  rows.length ? [`<h2>${esc(title)}</h2>`, rowsTable(head, rows), note] : [];

/** Shown in full up to this many rows; the recording has the rest. */
const MAX_ROWS = 200;

export function resultTables(s: Summary): string[] {
  const modes = [['all', s.totals.scheduled, s.totals.ok, s.totals.failed, s.totals.late, s.latencyMs.p50, s.latencyMs.p99, s.latencyMs.max],
    ...Object.entries(s.modes).map(([mode, m]) => [`${mode} connection`, m.scheduled, m.ok, m.failed, m.late, m.latencyMs.p50, m.latencyMs.p99, m.latencyMs.max])];
  const results = [...Object.entries(s.status).map(([code, n]) => [statusName(code), n]), ...Object.entries(s.errors), ...(s.totals.late ? [['late (not sent in time)', s.totals.late]] : [])];
  return [
    ...section('Requests by connection', modes, ['', 'scheduled', 'ok', 'failed', 'late', 'p50 ms', 'p99 ms', 'max ms']),
    ...section('Results', results, ['result', 'count']),
    ...section('Failures by class', failureClasses(s).map((f) => [f.name, f.count, f.sample ?? '—', f.advice ?? '']), ['class', 'count', 'sample message', 'what to do']),
  ];
}

export function failureTables(s: Summary): string[] {
  const rows = s.failures.slice(0, MAX_ROWS).map((f) => [
    clockTime(f.intended), offset(f.intended, s.startedAt), f.mode, classOf(f),
    Math.round(f.latencyMs), f.version ?? '', f.instance ?? '', f.remote ?? '', f.message ?? '',
  ]);
  const omitted = s.failuresOmitted + Math.max(0, s.failures.length - MAX_ROWS);
  const note = omitted ? `<p>${omitted} more not listed; <code>zdprobe report FILE --format json</code> on the recording has every one.</p>` : '';
  return [...section('Failed requests', rows, ['time (UTC)', 'offset', 'connection', 'result', 'ms', 'version', 'instance', 'remote', 'message'], note), ...instanceTable(s)];
}

/** Per instance (pod), when --instance-from named them: which pods the failures came from. */
function instanceTable(s: Summary): string[] {
  const by = new Map<string, { failed: number; first: number; last: number; kinds: Set<string> }>();
  for (const f of s.failures) {
    if (!f.instance) continue;
    const e = by.get(f.instance) ?? { failed: 0, first: f.intended, last: f.intended, kinds: new Set<string>() };
    e.failed += 1;
    e.last = f.intended;
    e.kinds.add(classOf(f));
    by.set(f.instance, e);
  }
  const rows = [...by].sort((a, b) => b[1].failed - a[1].failed).map(([pod, e]) => [pod, e.failed, [...e.kinds].join(', '), clockTime(e.first), clockTime(e.last)]);
  return section('Failures by instance', rows, ['instance', 'failed (listed)', 'results', 'first', 'last']);
}

/** Fields every event has; the rest are what the table's detail column shows. */
const EVENT_BASE = new Set(['at', 'serverAt', 'kind', 'type', 'namespace', 'name', 'initial']);

const eventDetail = (e: ClusterEvent): string =>
  Object.entries(e)
    .filter(([k, v]) => !EVENT_BASE.has(k) && v !== null && v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ');

export function eventTable(s: Summary, events: ClusterEvent[]): string[] {
  const during = events.filter((e) => e.initial !== true);
  const rows = during.slice(0, MAX_ROWS).map((e) => [
    clockTime(e.at), offset(e.at, s.startedAt), e.kind, e.type, `${e.namespace ? `${e.namespace}/` : ''}${e.name}`,
    eventDetail(e),
  ]);
  const note = during.length > MAX_ROWS ? `<p>${during.length - MAX_ROWS} more events in the recording.</p>` : '';
  return section('Cluster events', rows, ['time (UTC)', 'offset', 'kind', 'change', 'object', 'detail'], note);
}
