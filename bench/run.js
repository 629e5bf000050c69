#!/usr/bin/env node
// Side-by-side benchmark of zdprobe and the peer load tools against nginx on loopback.
// Usage: node bench/run.js [--quick] [--tools zdprobe,vegeta] [--skip accuracy,cpu,max,rss] [--rss-rps 1000] [--label name] [--no-write]
// (--label names the RESULTS.md section and results file; default quick or full)
// Peers come from bench/install-peers.sh; missing ones are listed and skipped.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { totalmem } from 'node:os';
import { startNginx, NGINX } from './lib/nginx.js';
import { RATE_TOOLS, wrk } from './lib/tools.js';
import { runCell, runCellRetry, CORES } from './lib/cell.js';
import { loadAvg } from './lib/measure.js';
import { stepHeld, rejudgeSeries } from './lib/report.js';
import { writeResults } from './lib/results-file.js';

const P99_BOUND_MS = 100;

function parseArgs(argv) {
  const opt = { quick: false, tools: undefined, skip: new Set(), write: true, rssRps: 1000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opt.quick = true;
    else if (a === '--no-write') opt.write = false;
    else if (a === '--tools') opt.tools = new Set(argv[++i].split(','));
    else if (a === '--skip') opt.skip = new Set(argv[++i].split(','));
    else if (a === '--label') opt.label = argv[++i];
    else if (a === '--rss-rps') opt.rssRps = Number(argv[++i]);
    else throw new Error(`unknown argument ${a}`);
  }
  return opt;
}

function plan(quick) {
  return quick
    ? { rates: [30, 1000, 10_000], rateS: 3, cpuRates: [5000, 10_000], cpuS: 3, steps: [5000, 10_000, 20_000], stepS: 3, rssS: 20, peerRssS: 5 }
    : { rates: [30, 1000, 10_000], rateS: 10, cpuRates: [5000, 10_000], cpuS: 10, steps: [5000, 10_000, 20_000, 30_000], stepS: 6, rssS: 600, peerRssS: 30 };
}

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  // nginx -v prints to stderr, so both streams are read.
  const sh = (cmd, args) => { const r = spawnSync(cmd, args, { encoding: 'utf8' }); return `${r.stdout ?? ''}${r.stderr ?? ''}`.trim(); };
  return {
    cores: CORES,
    model: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? 'unknown',
    ramGiB: (totalmem() / 2 ** 30).toFixed(1),
    kernel: sh('uname', ['-sr']),
    node: process.versions.node,
    nginx: sh(NGINX, ['-v']).replace('nginx version: ', ''),
  };
}

const log = (msg) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

function describe(c) {
  if (c.error) return `${c.tool} ${c.rps}: error ${c.error}`;
  const a = c.acc;
  return `${c.tool} ${c.rps} rps: server ${a.count}/${a.expected} span-rate ${a.spanRate?.toFixed(1)} (${((a.rateErr ?? NaN) * 100).toFixed(2)}%) p99 ${c.own?.p99?.toFixed?.(2)} ms cpu ${c.cpuS?.toFixed(2)} s load ${c.load1}${c.parseError ? ` parse: ${c.parseError.slice(0, 160)}` : ''}`;
}

/** Steps up while the rate is held (so a tool's rate accuracy is known up to where it breaks), noting
 * at each step whether latency stayed bounded too. */
async function maxRate(nginx, tool, steps, durS) {
  const out = { tool: tool.name, steps: [] };
  for (const rps of steps) {
    const c = await runCellRetry(nginx, tool, rps, durS);
    c.ok = stepHeld(c, P99_BOUND_MS);
    log(`max ${describe(c)} -> ${c.ok ? 'held' : c.held ? 'rate held, latency not bounded' : 'missed'}`);
    out.steps.push(c);
    if (!c.held) break;
  }
  return rejudgeSeries(out, P99_BOUND_MS);
}

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  const p = plan(opt.quick);
  const started = Date.now();
  const tools = RATE_TOOLS.filter((t) => !opt.tools || opt.tools.has(t.name));
  const present = tools.filter((t) => t.bin());
  const missing = tools.filter((t) => !t.bin()).map((t) => t.name);
  if (missing.length) log(`not installed (run bench/install-peers.sh): ${missing.join(', ')}`);
  for (const t of present) t.versionText = t.version();
  const run = {
    date: new Date().toISOString().slice(0, 10), mode: opt.label ?? (opt.quick ? 'quick' : 'full'), startedAt: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    command: `node bench/run.js ${process.argv.slice(2).join(' ')}`.trim(), machine: machine(), loadStart: loadAvg(), p99BoundMs: P99_BOUND_MS,
    tools: present.map(({ name, loop, rateControl, versionText }) => ({ name, loop, rateControl, versionText })), missing,
    accuracy: [], cpu: [], maxRate: [], rss: [], ceiling: undefined,
  };
  const nginx = await startNginx();
  log(`nginx at ${nginx.url}; tools: ${present.map((t) => t.name).join(', ')}; load ${run.loadStart.join(' ')}`);
  const save = () => { run.loadEnd = loadAvg(); run.tookS = (Date.now() - started) / 1000; writeResults(run, opt.write); };
  try {
    if (!opt.skip.has('accuracy')) {
      for (const rps of p.rates) for (const t of present) {
        const c = await runCellRetry(nginx, t, rps, p.rateS);
        log(`accuracy ${describe(c)}`);
        run.accuracy.push(c);
      }
      save();
    }
    if (!opt.skip.has('cpu')) {
      for (const rps of p.cpuRates) for (const t of present) {
        // The accuracy pass already ran this tool at this rate for as long: its cell is the CPU cell.
        const known = run.accuracy.find((c) => c.tool === t.name && c.rps === rps && c.durS === p.cpuS);
        const c = known ?? (await runCellRetry(nginx, t, rps, p.cpuS));
        log(`cpu ${known ? '(accuracy cell) ' : ''}${describe(c)}`);
        run.cpu.push(c);
      }
      save();
    }
    if (!opt.skip.has('max')) {
      for (const t of present) run.maxRate.push(await maxRate(nginx, t, p.steps, p.stepS));
      if (wrk.bin()) {
        wrk.versionText = wrk.version();
        run.tools.push({ name: wrk.name, loop: wrk.loop, rateControl: wrk.rateControl, versionText: wrk.versionText });
        run.ceiling = { ...(await runCell(nginx, wrk, 0, p.stepS)), conns: 50 };
        log(`wrk ceiling ${run.ceiling.acc?.count} requests in ${p.stepS} s`);
      }
      save();
    }
    if (!opt.skip.has('rss')) {
      for (const t of present) {
        const durS = t.name === 'zdprobe' ? p.rssS : p.peerRssS;
        const c = await runCell(nginx, t, opt.rssRps, durS, { rssEveryS: Math.max(1, durS / 60) });
        log(`rss ${t.name}: peak ${(c.maxRssKb / 1024).toFixed(1)} MiB over ${durS} s`);
        run.rss.push(c);
      }
      save();
    }
  } finally {
    await nginx.stop();
  }
  save();
  log(`done in ${(run.tookS / 60).toFixed(1)} min${opt.write ? '; bench/RESULTS.md updated' : ''}`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err?.stack ?? err}\n`);
  process.exitCode = 1;
});
