import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exitCodeOf, runExecHook, spawnApp, spawnContainer } from '../../../src/lab/kubelet/supervisor.js';

const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };

test('exit codes follow the container runtime: 128 + signal number', () => {
  assert.equal(exitCodeOf(0, null), 0);
  assert.equal(exitCodeOf(3, null), 3);
  assert.equal(exitCodeOf(null, 'SIGKILL'), 137);
  assert.equal(exitCodeOf(null, 'SIGTERM'), 143);
});

test('a container process writes its output to the pod log and reports its exit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zd-sup-'));
  try {
    const logPath = join(dir, 'pods', 'p.log');
    const proc = spawnContainer({ command: 'sh', args: ['-c', 'echo hello; exit 4'], env, logPath });
    const exit = await proc.exited;
    assert.equal(exit.exitCode, 4);
    assert.equal(proc.running(), false);
    assert.equal(readFileSync(logPath, 'utf8'), 'hello\n');
    const missing = await spawnContainer({ command: 'no-such-command-zd', args: [], env, logPath }).exited;
    assert.equal(missing.exitCode, 127);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the lab app ignoring SIGTERM dies only from SIGKILL, with 137', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zd-sup-'));
  const proc = spawnApp({ VERSION: '1', SHUTDOWN: 'ignore' }, '127.0.0.1', 0, join(dir, 'app.log'));
  try {
    const deadline = Date.now() + 10_000;
    while (!readFileSync(join(dir, 'app.log'), 'utf8').includes('listening') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    proc.signal('SIGTERM');
    const early = await Promise.race([proc.exited, new Promise((r) => setTimeout(() => r('alive'), 500))]);
    assert.equal(early, 'alive');
    proc.signal('SIGKILL');
    assert.equal((await proc.exited).exitCode, 137);
  } finally {
    proc.signal('SIGKILL');
    await proc.exited;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('exec hooks: success, failure and a timeout that kills the hook', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zd-sup-'));
  const logPath = join(dir, 'hook.log');
  try {
    assert.deepEqual(await runExecHook({ command: 'true', args: [], env, logPath }, 5000), { ok: true, exitCode: 0, timedOut: false });
    const failed = await runExecHook({ command: 'sh', args: ['-c', 'exit 2'], env, logPath }, 5000);
    assert.equal(failed.ok, false);
    assert.equal(failed.error, 'command exited with 2');
    const started = Date.now();
    const slow = await runExecHook({ command: 'sleep', args: ['30'], env, logPath }, 200);
    assert.equal(slow.timedOut, true);
    assert.equal(slow.exitCode, 137);
    assert.ok(Date.now() - started < 20_000, 'the hook was cut, not waited for');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
