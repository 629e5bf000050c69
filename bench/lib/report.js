// Renders a bench run (plain data from run.js) as one markdown section of bench/RESULTS.md.
import { TOLERANCE, heldRate } from './accuracy.js';

/** A max-rate step is held when the server saw the rate, the tool's p99 stayed bounded and ≥ 99.9% were ok. */
export function stepHeld(c, p99BoundMs) {
  const okShare = c.own?.sent ? (c.own.ok ?? 0) / c.own.sent : 0;
  return Boolean(c.acc && heldRate(c.acc)) && (c.own?.p99 ?? Infinity) <= p99BoundMs && okShare >= 0.999;
}

/** Re-judges a stored run with the current criteria (so RESULTS.md can be re-rendered without rerunning). */
export function rejudge(run) {
  for (const c of [...run.accuracy, ...run.cpu, ...run.rss]) if (c.acc) c.held = heldRate(c.acc);
  for (const s of run.maxRate) rejudgeSeries(s, run.p99BoundMs);
  return run;
}

/** best: highest step reached with every step so far held with bounded latency; bestRate: the rate alone. */
export function rejudgeSeries(s, p99BoundMs) {
  for (const c of s.steps) if (c.acc) (c.held = heldRate(c.acc)), (c.ok = stepHeld(c, p99BoundMs));
  const lastOf = (pred) => {
    const miss = s.steps.findIndex((c) => !pred(c));
    const run = miss < 0 ? s.steps : s.steps.slice(0, miss);
    return run.length ? run[run.length - 1].rps : undefined;
  };
  s.best = lastOf((c) => c.ok);
  s.bestRate = lastOf((c) => c.held);
  return s;
}

const pct = (x, digits = 2) => (x === undefined || x === null || Number.isNaN(x) ? '–' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(digits)}%`);
const fix = (x, digits = 1) => (x === undefined || x === null || Number.isNaN(x) ? '–' : x.toFixed(digits));
const int = (x) => (x === undefined || x === null ? '–' : String(Math.round(x)));
const row = (cells) => `| ${cells.join(' | ')} |`;
const table = (head, rows) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

function failNote(c) {
  if (c.error) return `error: ${c.error}`;
  if (c.parseError) return `report unreadable: ${c.parseError.slice(0, 120)}`;
  return '';
}

function retryNote(c) {
  return c.retried ? ` (rerun: ${pct(c.retried.first)} then ${pct(c.retried.second)})` : '';
}

export function accuracyTable(cells) {
  const head = ['tool', 'asked rps', 'server count / expected', 'rate over span', 'worst second (after the first)', '100 ms CV', 'tool p50 / p99 ms', 'steady CPU (% core)', 'load1', 'within ±1%'];
  return table(head, cells.map((c) => [
    c.tool, c.asked === c.rps ? int(c.rps) : `${int(c.asked)} (asked ${int(c.rps)})`,
    c.acc ? `${c.acc.count} / ${int(c.acc.expected)} (${pct(c.acc.countErr)})` : '–',
    c.acc?.spanRate !== undefined ? `${fix(c.acc.spanRate)} (${pct(c.acc.rateErr)})` : '–',
    `${pct(c.acc?.worstSecondErr, 1)} (${pct(c.acc?.worstLaterSecondErr, 1)})`, fix(c.acc?.cv100, 2),
    `${fix(c.own?.p50, 2)} / ${fix(c.own?.p99, 2)}`, fix(c.steadyCore !== undefined ? c.steadyCore * 100 : undefined, 2), fix(c.load1),
    (c.held ? 'yes' : `**no** ${failNote(c)}`) + retryNote(c),
  ]));
}

export function cpuTable(cells) {
  const head = ['tool', 'rps', 'requests (server)', 'wall s', 'user+sys s', 'CPU s / 10 000 req (whole run)', 'CPU s / 10 000 req (steady)', 'held rate', 'load1'];
  return table(head, cells.map((c) => [
    c.tool, int(c.rps), int(c.acc?.count), fix(c.wallS), fix(c.cpuS, 2),
    c.acc?.count ? fix(c.cpuS / (c.acc.count / 10_000), 3) : '–',
    c.steadyCore !== undefined ? fix((c.steadyCore / c.asked) * 10_000, 3) : '–',
    c.held ? 'yes' : `no ${pct(c.acc?.rateErr)} ${failNote(c)}`, fix(c.load1),
  ]));
}

export function maxRateTable(series) {
  const head = ['tool', 'steps (rate error on the server, worst second after the first, tool p99 ms)', 'highest rate held within ±1%', '… and with p99 ≤ bound'];
  const mark = (c) => (c.ok ? 'ok' : c.held ? 'rate ok, p99 over' : 'miss');
  return table(head, series.map((s) => [
    s.tool,
    s.steps.map((c) => `${c.rps / 1000}k: ${mark(c)} (${pct(c.acc?.rateErr, 1)}, ${pct(c.acc?.worstLaterSecondErr, 1)}, ${fix(c.own?.p99, 1)})`).join('; '),
    s.bestRate ? int(s.bestRate) : 'none of the steps',
    s.best ? int(s.best) : 'none of the steps',
  ]));
}

export function rssTable(cells) {
  const head = ['tool', 'rps', 'duration s', 'peak RSS MiB', 'RSS MiB over time (t s: MiB)', 'held rate', 'load1'];
  return table(head, cells.map((c) => [
    c.tool, int(c.rps), int(c.durS), fix(c.maxRssKb / 1024), thin(c.rss ?? []).map((p) => `${p.t}: ${fix(p.kb / 1024)}`).join(', '),
    c.held ? 'yes' : `no ${pct(c.acc?.rateErr)}`, fix(c.load1),
  ]));
}

const thin = (points, max = 8) => (points.length <= max ? points : points.filter((_, i) => i % Math.ceil(points.length / max) === 0 || i === points.length - 1));

export function versionsTable(tools) {
  return table(['tool', 'version', 'loop', 'how its rate works'], tools.map((t) => [t.name, t.versionText, t.loop, t.rateControl]));
}

const perTenK = (c) => (c?.acc?.count ? c.cpuS / (c.acc.count / 10_000) : undefined);

/** The figures of issue 15, one row each, one column per tool. */
export function headlineTable(run) {
  const names = [...new Set([...run.accuracy, ...run.cpu].map((c) => c.tool))];
  const at = (cells, tool, rps) => cells.find((c) => c.tool === tool && c.rps === rps);
  const best = (tool) => run.maxRate.find((s) => s.tool === tool);
  const rows = [
    ...run.accuracy.map((c) => c.rps).filter((r, i, all) => all.indexOf(r) === i).map((rps) => [`CPU s, ${int(rps)} rps for ${at(run.accuracy, names[0], rps)?.durS ?? '?'} s (whole run)`, ...names.map((n) => fix(at(run.accuracy, n, rps)?.cpuS, 2))]),
    ['p99 ms at 10 000 rps, whole run incl. the first second (zdprobe, oha: from the intended time; others: from the send)', ...names.map((n) => fix(at(run.accuracy, n, 10_000)?.own?.p99, 1))],
    [`highest step held within ±1% with p99 <= ${run.p99BoundMs} ms`, ...names.map((n) => { const s = best(n); return s ? (s.best ? int(s.best) : 'none') + (s.bestRate && s.bestRate !== s.best ? ` (rate alone: ${int(s.bestRate)})` : '') : '–'; })],
    ...run.cpu.map((c) => c.rps).filter((r, i, all) => all.indexOf(r) === i).map((rps) => [`CPU s per 10 000 requests at ${int(rps)} rps (whole run)`, ...names.map((n) => fix(perTenK(at(run.cpu, n, rps)), 3))]),
  ];
  return table(['', ...names], rows);
}

/** The targets of issue 15, judged from this run's data. */
export function targetLines(run) {
  const z = (cells) => cells.filter((c) => c.tool === 'zdprobe');
  const out = [];
  const acc = [...z(run.accuracy), ...z(run.maxRate.flatMap((s) => s.steps)).filter((c) => c.rps <= 20_000)];
  const misses = acc.filter((c) => !c.held).map((c) => `${c.rps} rps (${pct(c.acc?.rateErr)})`);
  if (acc.length) out.push(`- zdprobe within ±${TOLERANCE * 100}% at every measured rate up to 20 000 rps: ${misses.length ? `**not met** at ${misses.join(', ')}` : `met (${acc.map((c) => c.rps).join(', ')} rps)`}`);
  const p99 = z(run.accuracy).find((c) => c.rps === 10_000)?.own?.p99;
  if (p99 !== undefined) out.push(`- p99 from the intended send time <= 20 ms at 10 000 rps, first second included: ${p99 <= 20 ? 'met' : '**not met**'} (${fix(p99, 1)} ms)`);
  for (const rps of [...new Set(run.cpu.map((c) => c.rps))]) {
    const [zc, vc] = ['zdprobe', 'vegeta'].map((n) => run.cpu.find((c) => c.tool === n && c.rps === rps));
    if (!perTenK(zc) || !perTenK(vc)) { out.push(`- CPU per request at ${rps} rps vs vegeta: not measured (a cell is missing)`); continue; }
    out.push(`- CPU per request at ${rps} rps no higher than vegeta's (whole run): ${perTenK(zc) <= perTenK(vc) ? 'met' : '**not met**'} (zdprobe ${fix(perTenK(zc), 3)} s vs vegeta ${fix(perTenK(vc), 3)} s per 10 000 requests)`);
  }
  const slow = z(run.accuracy).find((c) => c.rps === 30);
  if (slow) out.push(`- 30 rps: ${fix(slow.cpuS, 2)} CPU s for a ${slow.durS} s run (the 10 s target of 0.4 CPU s is measured by bench/probe-cpu.js)`);
  return out.join('\n');
}

/** A section with its title, or nothing when this run did not measure it (e.g. `--skip`). */
const section = (title, has, body) => (has ? [title, ...[body].flat(), ''] : []);

export function renderRun(run) {
  const targets = targetLines(run);
  const figures = run.accuracy.length + run.cpu.length > 0;
  return [
    `## ${run.date} — ${run.mode} run`,
    '',
    `Command: \`${run.command}\` · started ${run.startedAt} · took ${fix(run.tookS / 60)} min`,
    '',
    `Machine: ${run.machine.cores} cores, ${run.machine.model}, ${run.machine.ramGiB} GiB RAM, ${run.machine.kernel}; Node ${run.machine.node}; ${run.machine.nginx} (1 worker, \`return 200 "ok"\`, one \`$msec\` access-log line per request as the counter)`,
    '',
    `Load average (1/5/15 min): ${run.loadStart.join(' / ')} at start, ${run.loadEnd.join(' / ')} at the end; each row shows the 1-minute load when it started.`,
    '',
    ...section('### Targets (issue 15)', targets !== '', targets),
    ...section('### The figures side by side', figures, headlineTable(run)),
    '### Tools',
    versionsTable(run.tools),
    '',
    ...section(`### Rate accuracy (${run.accuracy[0]?.durS ?? '?'} s per cell; counted by nginx)`, run.accuracy.length > 0, accuracyTable(run.accuracy)),
    ...section(`### CPU at fixed rates (${run.cpu[0]?.durS ?? '?'} s; user+sys of the whole process tree via /usr/bin/time; "steady" excludes the first 2 s)`, run.cpu.length > 0, cpuTable(run.cpu)),
    ...section(`### Highest constant rate held (${run.maxRate[0]?.steps[0]?.durS ?? '?'} s per step; held = count and rate within ±1% on the server, tool p99 ≤ ${run.p99BoundMs} ms, ≥ 99.9% ok)`, run.maxRate.length > 0,
      [maxRateTable(run.maxRate), ...(run.maxRateNote ? ['', run.maxRateNote] : [])]),
    ...(run.ceiling ? [`Closed-loop ceiling for reference (wrk, 1 thread, ${run.ceiling.conns} connections, ${run.ceiling.durS} s): ${int(run.ceiling.acc?.count / run.ceiling.durS)} rps counted by nginx, p99 ${fix(run.ceiling.own?.p99, 2)} ms, ${fix(run.ceiling.cpuS, 1)} CPU s.`, ''] : []),
    ...section('### Memory', run.rss.length > 0, rssTable(run.rss)),
    ...section('### Exact commands (1 000 rps cell)', run.accuracy.some((c) => c.rps === 1000 && c.argv),
      run.accuracy.filter((c) => c.rps === 1000 && c.argv).map((c) => `- ${c.tool}: \`${c.argv}\``)),
  ].join('\n');
}
