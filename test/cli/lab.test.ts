// The lab leaves nothing behind and never judges a run it did not finish.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { runCli } from '../helpers/cli.js';
import { withLabLock, LAB_TEST_TIMEOUT } from '../helpers/lab-lock.js';

/** Sends `signal` once the child's output (stream) matches `re`. */
function signalWhen(child: ChildProcess, stream: 'stdout' | 'stderr', re: RegExp, signal: NodeJS.Signals): void {
  let text = '';
  child[stream]?.on('data', (d) => {
    text += d;
    if (re.test(text)) {
      re = /$^/; // once
      child.kill(signal);
    }
  });
}

test('lab up removes its directory (kubeconfig and token included) when stopped', { timeout: LAB_TEST_TIMEOUT }, async () => {
  const r = await withLabLock(() => runCli(['lab', 'up'], { timeoutMs: 120_000, onSpawn: (c) => signalWhen(c, 'stdout', /Ctrl-C to tear it down/, 'SIGINT') }));
  assert.equal(r.code, 0, r.stderr);
  const kubeconfig = /export KUBECONFIG=(\S+)/.exec(r.stdout)?.[1];
  const dir = /lab down; removed (\S+)/.exec(r.stdout)?.[1];
  assert.ok(kubeconfig && dir && kubeconfig.startsWith(dir), r.stdout);
  assert.equal(existsSync(dir), false, `${dir} is still there`);
});

test('an interrupted demo says "interrupted" and judges nothing', { timeout: LAB_TEST_TIMEOUT }, async () => {
  const r = await withLabLock(() => runCli(['demo'], { timeoutMs: 170_000, onSpawn: (c) => signalWhen(c, 'stderr', /workloads ready; probing/, 'SIGINT') }));
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stdout, /zdprobe demo: interrupted; the labs are torn down and nothing was judged/);
  assert.doesNotMatch(r.stdout, /behaved as their scenarios expect|did not behave|GATE (PASSED|FAILED)/);
});

test('a node: real scenario run on the stand-in is refused in one line, exit 2, before any lab starts', async () => {
  const r = await runCli(['lab', 'run', 'oom-killed']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim(), 'zdprobe: scenario oom-killed runs only with --node real: the stand-in kubelet has no OOM killer or Eviction API');
});
