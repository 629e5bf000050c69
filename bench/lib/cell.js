// One measurement: a tool at a fixed rate for a fixed time against the bench nginx, judged by the
// server's log (rate), /usr/bin/time and /proc (CPU, RSS) and the tool's own report (latency).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMeasured, loadAvg } from './measure.js';
import { serverRate, heldRate } from './accuracy.js';
import { REPO } from './tools.js';

const settle = (ms) => new Promise((r) => setTimeout(r, ms));
export const CORES = cpus().length;

/** Runs `tool` at `rps` for `durS` seconds; never throws (a broken tool yields a row with `error`). */
export async function runCell(nginx, tool, rps, durS, { rssEveryS = 0 } = {}) {
  const tmp = mkdtempSync(join(tmpdir(), `zd-bench-${tool.name}-`));
  const ctx = { url: nginx.url, rps, durS, tmp, out: join(tmp, 'out.json'), conns: 50 };
  const asked = tool.effectiveRps ? tool.effectiveRps(rps) : rps;
  const load = loadAvg();
  try {
    tool.prepare?.(ctx);
    const argv = tool.argv(ctx);
    await settle(300); // let the previous tool's sockets close
    const mark = nginx.mark();
    const m = await runMeasured(argv, { cwd: REPO, rssEveryS, timeoutS: durS * 3 + 60 });
    await settle(300); // the last responses are logged after the tool may have exited
    const acc = serverRate(nginx.timesSince(mark), asked, durS);
    let own = {};
    let parseError;
    try {
      own = tool.parse({ ...ctx, stdout: m.stdout });
    } catch (err) {
      parseError = `${err.message}; stderr: ${m.stderr.trim().slice(-300)}`;
    }
    return {
      tool: tool.name, rps, asked, durS, load1: load[0], argv: argv.join(' '), code: m.code,
      acc, held: heldRate(acc), own, parseError,
      cpuS: m.cpuS, wallS: m.wallS, steadyCore: m.steadyCore, maxRssKb: m.maxRssKb, rss: m.rss,
    };
  } catch (err) {
    return { tool: tool.name, rps, asked, durS, load1: load[0], error: String(err?.message ?? err) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Runs a cell; if it missed the rate while the machine was loaded, runs it once more and keeps both. */
export async function runCellRetry(nginx, tool, rps, durS, opts) {
  const first = await runCell(nginx, tool, rps, durS, opts);
  if (first.held || first.error || first.load1 <= CORES) return first;
  const second = await runCell(nginx, tool, rps, durS, opts);
  return { ...(second.held ? second : first), retried: { first: first.acc?.rateErr, second: second.acc?.rateErr } };
}
