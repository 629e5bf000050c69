// Runs one tool under /usr/bin/time (user+sys and peak RSS of its whole waited-for process tree)
// and samples /proc meanwhile for steady-state CPU (start-up excluded) and an RSS timeline.
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TICKS_PER_S = 100; // USER_HZ on Linux

export function loadAvg() {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
}

function childPid(pid) {
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return kids.length ? Number(kids[0]) : undefined;
  } catch {
    return undefined;
  }
}

/** utime+stime of pid and its reaped children, in seconds; undefined once it is gone. */
function cpuOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after "(comm) ": state is f[0], so utime (14th) is f[11].
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / TICKS_PER_S;
  } catch {
    return undefined;
  }
}

function rssKbOf(pid) {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs argv; resolves with wall/user/sys seconds, peak RSS (KiB), steady-state CPU share of one core
 * (from `warmS` after start to the last sample), an RSS timeline and captured stdout/stderr.
 */
export function runMeasured(argv, { warmS = 2, sampleMs = 250, rssEveryS = 0, cwd, timeoutS = 3600 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'zd-bench-time-'));
  const timeFile = join(dir, 'time');
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, ...argv], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  let warm;
  let last;
  const rss = [];
  let nextRssAt = 0;
  const poll = setInterval(() => {
    const pid = childPid(child.pid);
    if (pid === undefined) return;
    const t = (performance.now() - started) / 1000;
    const cpu = cpuOf(pid);
    if (cpu !== undefined) {
      if (t >= warmS && !warm) warm = { t, cpu };
      last = { t, cpu };
    }
    if (rssEveryS > 0 && t >= nextRssAt) {
      const kb = rssKbOf(pid);
      if (kb !== undefined) rss.push({ t: Math.round(t), kb });
      nextRssAt = t + rssEveryS;
    }
  }, sampleMs);
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearInterval(poll);
      clearTimeout(killer);
      let wallS, userS, sysS, maxRssKb;
      try {
        const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
        [wallS, userS, sysS, maxRssKb] = lines[lines.length - 1].split(' ').map(Number);
      } catch {
        /* the tool did not start: fields stay undefined */
      }
      rmSync(dir, { recursive: true, force: true });
      const steady = warm && last && last.t - warm.t > 0.5 ? (last.cpu - warm.cpu) / (last.t - warm.t) : undefined;
      resolve({ code, wallS, userS, sysS, cpuS: userS + sysS, maxRssKb, steadyCore: steady, rss, stdout, stderr });
    });
  });
}
