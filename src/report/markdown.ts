// Summary -> GitHub-flavoured Markdown for PR comments and $GITHUB_STEP_SUMMARY.
import type { Incident, Summary } from '../types.js';
import { clockTime, dateTime, kindsText, offset, percent } from '../format-time.js';
import { failureClasses } from './failure-classes.js';
import { INSTANCE_HEAD, instanceRows, proberLine, TARGET_HEAD, targetRows } from './targets.js';
import { splitVerdict } from './split-verdict.js';

/** Table cells must not break the row: pipes escaped, newlines flattened. */
export const cell = (v: unknown): string => String(v).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function table(head: string[], rows: unknown[][]): string[] {
  return [`| ${head.map(cell).join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

function verdict(s: Summary): string {
  const dropped = s.totals.failed + s.totals.late;
  const head = s.gate.passed ? '✅ zdprobe: gate passed' : '❌ zdprobe: gate failed';
  const what = dropped === 0 ? 'no request dropped' : `${dropped} of ${s.totals.scheduled} requests dropped`;
  return `## ${head} — ${what}`;
}

function totals(s: Summary): string[] {
  const secs = ((s.endedAt - s.startedAt) / 1000).toFixed(1);
  const out = [`Target \`${s.target}\`, ${secs} s from ${dateTime(s.startedAt)} (all times UTC)${s.complete ? '' : ' (recording incomplete)'}.`, ''];
  const rows: unknown[][] = [['all', s.totals.scheduled, s.totals.ok, s.totals.failed, s.totals.late, s.latencyMs.p50, s.latencyMs.p99]];
  for (const [mode, m] of Object.entries(s.modes)) rows.push([`${mode} connection`, m.scheduled, m.ok, m.failed, m.late, m.latencyMs.p50, m.latencyMs.p99]);
  out.push(...table(['', 'scheduled', 'ok', 'failed', 'late', 'p50 ms', 'p99 ms'], rows));
  const perTarget = targetRows(s);
  if (perTarget.length) out.push('', ...table(TARGET_HEAD, perTarget));
  if (!s.gate.passed) out.push('', ...s.gate.reasons.map((r) => `- ${r}`));
  return out;
}

function incident(inc: Incident, startedAt: number): string[] {
  const modes = kindsText(inc.modes as Record<string, number>);
  const out = [`#### ${clockTime(inc.start)}–${clockTime(inc.end)} (${offset(inc.start, startedAt)}): ${inc.failed} failed — ${kindsText(inc.kinds)}${modes ? `; connections: ${modes}` : ''}`];
  for (const c of inc.causes) {
    out.push('', `**\`${c.id}\`**`, ...c.evidence.map((e) => `- ${e}`), '', `**Fix:** ${c.fix}`);
  }
  for (const n of inc.notes ?? []) out.push('', `**Note:** ${n}`);
  return out;
}

function failures(s: Summary): string[] {
  const classes = failureClasses(s);
  if (!classes.length) return [];
  const rows = classes.map((f) => [`\`${f.name}\``, f.count, f.sample ? `\`${f.sample.replace(/`/g, "'")}\`` : '—', f.advice ?? '']);
  return ['', '### Failures by class', '', ...table(['class', 'count', 'sample message', 'what to do'], rows)];
}

function splits(s: Summary): string[] {
  if (!s.splits.length) return [];
  const rows = s.splits.map((sp) => {
    const keys = [...new Set([...Object.keys(sp.declared), ...Object.keys(sp.observed)])];
    const shares = keys.map((k) => `${k}: ${sp.declared[k] ?? '—'}% → ${sp.observed[k] ?? 0}% [${(sp.interval[k] ?? [0, 0]).join('–')}]`).join('<br>');
    return [sp.source, `${clockTime(sp.start)}–${clockTime(sp.end)}`, sp.n, shares, { ok: '✅', mismatch: '❌', approximate: `≈ ${sp.approximate ?? ''}` }[splitVerdict(sp)]];
  });
  return ['', '### Traffic splits', '', 'declared → observed [99.9% interval]', '', ...table(['source', 'window', 'n', 'shares', 'ok'], rows)];
}

function findings(s: Summary): string[] {
  if (!s.findings.length) return [];
  const rows = s.findings.map((f) => [f.severity, `\`${f.id}\``, f.object, f.message, f.fix]);
  return ['', '### Config findings', '', ...table(['severity', 'rule', 'object', 'problem', 'fix'], rows)];
}

function versions(s: Summary): string[] {
  if (!s.versionSpans.length) return [];
  const rows = s.versionSpans.map((v) => [v.version, v.count, percent(v.share), clockTime(v.firstSeen), clockTime(v.lastSeen)]);
  const back = s.flips.filter((f) => f.back).map((f) => `- version ${f.to} answered again at ${clockTime(f.at)} after ${f.from} had taken over`);
  return ['', '### Versions', '', ...table(['version', 'ok responses', 'share', 'first seen', 'last seen'], rows), ...(back.length ? ['', ...back] : [])];
}

function cluster(s: Summary): string[] {
  const c = s.cluster;
  const out = ['', '### Cluster', '', c.watched ? 'The cluster was watched.' : 'The cluster was **not** watched.'];
  for (const p of c.problems) out.push(`- ${p}`);
  for (const g of c.gaps) out.push(`- watch gap ${clockTime(g.start)}–${clockTime(g.end)}: ${g.reason}`);
  return out;
}

export function renderMarkdown(s: Summary): string {
  const out = [verdict(s), '', ...totals(s), ...failures(s)];
  if (s.incidents.length) {
    out.push('', `### Incidents (${s.incidents.length})`);
    for (const inc of s.incidents) out.push('', ...incident(inc, s.startedAt));
  }
  out.push(...splits(s), ...findings(s), ...versions(s), ...cluster(s));
  const pods = instanceRows(s);
  if (pods.length) out.push('', '### Instances', '', ...table(INSTANCE_HEAD, pods));
  const prober = proberLine(s);
  if (prober) out.push('', prober);
  return `${out.join('\n')}\n`;
}
