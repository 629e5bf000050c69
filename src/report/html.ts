// Summary -> one self-contained HTML file (inline CSS and SVG, no script, no external asset).
import type { Incident, Summary } from '../types.js';
import type { ClusterEvent } from '../types.js';
import { clockTime, dateTime, kindsText, offset, percent } from '../format-time.js';
import { timelineSvg, versionColors, COMMAND, FAIL, LATE, P99 } from './html-timeline.js';
import { esc } from './xml.js';
import { eventTable, failureTables, inline, resultTables, rowsTable } from './html-tables.js';
import { splitVerdict } from './split-verdict.js';

const CSS = `body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1160px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}
.pass{color:#2a7d2a}.fail{color:${FAIL}}table{border-collapse:collapse;margin:8px 0}
td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top;font-size:13px}
th{background:#f5f5f5}.cause{margin:6px 0 12px 0}.cause code{font-weight:bold}
.legend span{display:inline-block;margin-right:14px;font-size:13px}.sw{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
.fix{background:#f3f8ff;padding:4px 8px;border-left:3px solid #4e79a7}
.note{background:#fffbea;padding:4px 8px;border-left:3px solid #f28e2b;margin-top:4px}`;

function header(s: Summary): string {
  const dropped = s.totals.failed + s.totals.late;
  const cls = s.gate.passed ? 'pass' : 'fail';
  const verdict = s.gate.passed ? 'Gate passed' : 'Gate failed';
  const secs = ((s.endedAt - s.startedAt) / 1000).toFixed(1);
  const reasons = s.gate.reasons.length ? `<ul>${s.gate.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>` : '';
  return `<h1>zdprobe report — <span class="${cls}">${verdict}</span>: ${dropped === 0 ? 'no request dropped' : `${dropped} of ${s.totals.scheduled} requests dropped`}</h1>
<p>Target <code>${esc(s.target)}</code>, ${secs} s from ${esc(dateTime(s.startedAt))} (all times UTC)${s.complete ? '' : ' (recording incomplete)'}; p50 ${s.latencyMs.p50} ms, p99 ${s.latencyMs.p99} ms.</p>${reasons}${commandLine(s)}`;
}

function commandLine(s: Summary): string {
  const c = s.command;
  if (!c) return '';
  const end = c.endedAt === null ? 'did not finish' : `ended ${clockTime(c.endedAt)} (${offset(c.endedAt, s.startedAt)}) with ${c.exitCode ?? c.signal}`;
  return `<p>Deploy command <code>${esc(c.argv.join(' '))}</code>: started ${esc(clockTime(c.startedAt))} (${esc(offset(c.startedAt, s.startedAt))}), ${esc(end)}.</p>`;
}

function legend(s: Summary): string {
  const sw = (color: string, label: string): string => `<span><i class="sw" style="background:${color}"></i>${esc(label)}</span>`;
  const versions = [...versionColors(s)].map(([v, c]) => sw(c, `version ${v}`));
  const command = s.command ? [sw(COMMAND, 'deploy command start / end')] : [];
  return `<div class="legend">${[...versions, sw(FAIL, 'failed'), sw(LATE, 'late'), sw(P99, 'p99 latency'), ...command].join('')}</div>`;
}

function incident(inc: Incident, startedAt: number, i: number): string {
  const causes = inc.causes.map((c) => `<div class="cause"><code>${esc(c.id)}</code><ul>${c.evidence.map((e) => `<li>${inline(e)}</li>`).join('')}</ul><div class="fix">Fix: ${inline(c.fix)}</div></div>`).join('');
  const notes = (inc.notes ?? []).map((n) => `<div class="note">Note: ${inline(n)}</div>`).join('');
  return `<h3>${i + 1}. ${esc(clockTime(inc.start))}–${esc(clockTime(inc.end))} (${esc(offset(inc.start, startedAt))}): ${inc.failed} failed — ${esc(kindsText(inc.kinds))}</h3>${causes}${notes}`;
}

function sections(s: Summary, events: ClusterEvent[]): string[] {
  const out: string[] = [...resultTables(s)];
  out.push('<h2>Incidents</h2>', s.incidents.length ? s.incidents.map((inc, i) => incident(inc, s.startedAt, i)).join('\n') : '<p>No request failed.</p>');
  if (s.splits.length) {
    out.push('<h2>Traffic splits</h2>', rowsTable(['source', 'window', 'n', 'declared', 'observed', '99.9% interval', 'ok'], s.splits.map((sp) => [
      sp.source, `${clockTime(sp.start)}–${clockTime(sp.end)}`, sp.n,
      Object.entries(sp.declared).map(([k, v]) => `${k} ${v}%`).join(', '),
      Object.entries(sp.observed).map(([k, v]) => `${k} ${v}%`).join(', '),
      Object.entries(sp.interval).map(([k, [lo, hi]]) => `${k} ${lo}–${hi}%`).join(', '),
      { ok: 'yes', mismatch: 'NO', approximate: `approximate: ${sp.approximate ?? ''}` }[splitVerdict(sp)],
    ])));
  }
  if (s.findings.length) out.push('<h2>Config findings</h2>', rowsTable(['severity', 'rule', 'object', 'problem', 'fix'], s.findings.map((f) => [f.severity, f.id, f.object, f.message, f.fix])));
  if (s.versionSpans.length) out.push('<h2>Versions</h2>', rowsTable(['version', 'ok responses', 'share', 'first seen', 'last seen'], s.versionSpans.map((v) => [v.version, v.count, percent(v.share), clockTime(v.firstSeen), clockTime(v.lastSeen)])));
  const c = s.cluster;
  const notes = [...c.problems, ...c.gaps.map((g) => `watch gap ${clockTime(g.start)}–${clockTime(g.end)}: ${g.reason}`)];
  out.push(...failureTables(s));
  out.push('<h2>Cluster</h2>', `<p>${c.watched ? 'The cluster was watched.' : 'The cluster was not watched.'}</p>`, notes.length ? `<ul>${notes.map((n) => `<li>${inline(n)}</li>`).join('')}</ul>` : '');
  out.push(...eventTable(s, events));
  return out;
}

export function renderHtml(s: Summary): string {
  const events = s.clusterEvents ?? s.incidents.flatMap((i) => i.events);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>zdprobe report — ${esc(s.target)}</title>
<style>${CSS}</style></head><body>
${header(s)}
<h2>Timeline</h2>
${legend(s)}
${timelineSvg(s, events)}
${sections(s, events).join('\n')}
<p><small>zdprobe ${esc(s.tool.version)}</small></p>
</body></html>
`;
}
