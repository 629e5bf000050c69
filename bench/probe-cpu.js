#!/usr/bin/env node
// CPU of a whole `zdprobe probe --no-watch` run and CPU to its first request, against a tiny node:http
// server in its own process on loopback (its CPU is not counted). Median of --runs runs, one at a time.
// Usage: node bench/probe-cpu.js [--runs 5] [--rps 30] [--duration 10s] [--node PATH] [--zdprobe bin/zdprobe.js] [--connection both]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER = `require('node:http').createServer((q, s) => { s.setHeader('x-app-version', '1'); s.end('Version 1\\n'); })
  .listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;

function parseArgs(argv) {
  const opt = { runs: 5, rps: '30', duration: '10s', node: process.execPath, zdprobe: fileURLToPath(new URL('../bin/zdprobe.js', import.meta.url)), connection: 'both' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, '');
    if (!(key in opt) || argv[i + 1] === undefined) throw new Error(`unknown argument ${argv[i]}`);
    opt[key] = key === 'runs' ? Number(argv[i + 1]) : argv[i + 1];
  }
  return opt;
}

async function startServer() {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
  return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill() };
}

function runOnce(opt, url, dir, i) {
  const timeFile = join(dir, `time-${i}`);
  const marks = join(dir, `first-${i}`);
  const load = loadavg()[0];
  const args = ['-f', '%U %S', '-o', timeFile, opt.node, '--import', fileURLToPath(new URL('./lib/cpu-marks.js', import.meta.url)), opt.zdprobe,
    'probe', url, '--rps', opt.rps, '--duration', opt.duration, '--connection', opt.connection, '--no-watch'];
  const r = spawnSync('/usr/bin/time', args, { env: { ...process.env, ZD_CPU_MARKS: marks }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`run ${i} exited ${r.status}: ${r.stderr.split('\n').slice(-3).join(' ')}`);
  const [user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
  return { total: user + sys, first: Number(readFileSync(marks, 'utf8')), load };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

const opt = parseArgs(process.argv.slice(2));
const server = await startServer();
const dir = mkdtempSync(join(tmpdir(), 'zdprobe-cpu-'));
try {
  const runs = [];
  for (let i = 0; i < opt.runs; i++) runs.push(runOnce(opt, server.url, dir, i));
  const version = spawnSync(opt.node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`node ${version}, probe --rps ${opt.rps} --duration ${opt.duration} --connection ${opt.connection} --no-watch, ${opt.runs} runs`);
  for (const r of runs) console.log(`  total ${r.total.toFixed(2)} CPU s, to first request ${r.first.toFixed(3)} CPU s, load ${r.load.toFixed(2)}`);
  console.log(`median: total ${median(runs.map((r) => r.total)).toFixed(2)} CPU s, to first request ${median(runs.map((r) => r.first)).toFixed(3)} CPU s`);
} finally {
  server.stop();
}
