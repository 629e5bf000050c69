// Summary -> the final terminal report (cli-table3 tables, no colours so it reads the same in CI logs).
import Table from 'cli-table3';
import type { Summary } from '../types.js';
import { clockTime, dateTime, kindsText, offset, percent } from '../format-time.js';
import { failureClasses, statusName } from './failure-classes.js';
import { INSTANCE_HEAD, instanceRows, proberLine, TARGET_HEAD, targetRows } from './targets.js';
import { splitVerdict, type SplitVerdict } from './split-verdict.js';

const TERMINAL_VERDICT: Record<SplitVerdict, string> = { ok: 'ok', mismatch: 'MISMATCH', approximate: 'approximate' };

const table = (head: string[]): Table.Table => new Table({ head, style: { head: [], border: [] } });

export function renderTerminal(s: Summary): string {
  const out: string[] = [];
  const secs = ((s.endedAt - s.startedAt) / 1000).toFixed(1);
  out.push(`zdprobe ${s.tool.version} — ${s.target} — ${secs} s from ${dateTime(s.startedAt)} (all times UTC)${s.complete ? '' : ' (recording incomplete: the run did not finish)'}`);

  const totals = table(['', 'scheduled', 'sent', 'ok', 'failed', 'late', 'p50 ms', 'p99 ms', 'max ms']);
  totals.push(['all', s.totals.scheduled, s.totals.sent, s.totals.ok, s.totals.failed, s.totals.late, s.latencyMs.p50, s.latencyMs.p99, s.latencyMs.max]);
  for (const [mode, m] of Object.entries(s.modes)) totals.push([`${mode} connection`, m.scheduled, m.sent, m.ok, m.failed, m.late, m.latencyMs.p50, m.latencyMs.p99, m.latencyMs.max]);
  out.push(totals.toString());
  const rows = targetRows(s);
  if (rows.length) {
    const targets = table(TARGET_HEAD);
    for (const r of rows) targets.push(r as string[]);
    out.push(targets.toString());
  }

  if (s.versionSpans.length) {
    const versions = table(['version', 'ok responses', 'share', 'first seen', 'last seen']);
    for (const v of s.versionSpans) versions.push([v.version, v.count, percent(v.share), clockTime(v.firstSeen), clockTime(v.lastSeen)]);
    out.push(versions.toString());
  }
  const pods = instanceRows(s);
  if (pods.length) {
    const instances = table(INSTANCE_HEAD);
    for (const r of pods) instances.push(r as string[]);
    out.push(instances.toString());
  }
  const backs = s.flips.filter((f) => f.back);
  for (const f of backs) out.push(`Version ${f.to} answered again at ${clockTime(f.at)} after ${f.from} had taken over (mixed versions).`);

  const results = table(['result', 'count']);
  for (const [code, n] of Object.entries(s.status)) results.push([statusName(code), n]);
  for (const [cls, n] of Object.entries(s.errors)) results.push([cls, n]);
  if (s.totals.late) results.push(['late (not sent in time)', s.totals.late]);
  out.push(results.toString());
  for (const f of failureClasses(s)) {
    out.push(`${f.name} ×${f.count}${f.sample ? `, e.g. ${f.sample}` : ''}`);
    if (f.advice) out.push(`  what to do: ${f.advice}`);
  }

  if (s.failureWindows.length) {
    const windows = table(['failure window', 'until', 'count', 'kinds', 'connections']);
    for (const w of s.failureWindows) {
      windows.push([`${clockTime(w.start)} (${offset(w.start, s.startedAt)})`, clockTime(w.end), w.count, kindsText(w.kinds), kindsText(w.modes)]);
    }
    out.push(windows.toString());
  }
  out.push(...renderAnalysis(s));
  const prober = proberLine(s);
  if (prober) out.push(prober);
  out.push(s.gate.passed ? 'GATE PASSED' : `GATE FAILED\n${s.gate.reasons.map((r) => `  - ${r}`).join('\n')}`);
  return out.join('\n') + '\n';
}

function renderAnalysis(s: Summary): string[] {
  const out: string[] = [];
  for (const inc of s.incidents) {
    const of = Object.keys(s.targets ?? {}).length > 1 && inc.target ? ` on ${inc.target}` : '';
    out.push(`Incident${of} ${clockTime(inc.start)}–${clockTime(inc.end)}: ${inc.failed} failed (${kindsText(inc.kinds)})`);
    for (const c of inc.causes) {
      out.push(`  cause ${c.id}`);
      for (const e of c.evidence) out.push(`    · ${e}`);
      out.push(`    fix: ${c.fix}`);
    }
    for (const n of inc.notes ?? []) out.push(`  note: ${n}`);
  }
  for (const sp of s.splits) {
    const shares = Object.keys(sp.declared).map((v) => `${v} declared ${sp.declared[v]}% observed ${(sp.observed[v] ?? 0).toFixed(1)}%`).join('; ');
    const of = Object.keys(s.targets ?? {}).length > 1 && sp.target ? `${sp.target}: ` : '';
    out.push(`Split ${of}${sp.source} ${clockTime(sp.start)}–${clockTime(sp.end)} (n=${sp.n}): ${shares} — ${TERMINAL_VERDICT[splitVerdict(sp)]}`);
    if (sp.approximate) out.push(`  approximate, not gated: ${sp.approximate}`);
  }
  for (const f of s.findings) out.push(`Finding ${f.id} (${f.severity}) ${f.object}: ${f.message} Fix: ${f.fix}`);
  if (!s.cluster.watched && s.cluster.problems.length) out.push(`Cluster not watched: ${s.cluster.problems.join('; ')}`);
  for (const g of s.cluster.gaps) out.push(`Watch gap ${clockTime(g.start)}–${clockTime(g.end)}: ${g.reason}`);
  return out;
}
