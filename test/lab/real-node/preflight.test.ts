// `--node real` says in one line why it cannot run, exits 3, and starts nothing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { BIN } from '../../helpers/cli.js';
import { NETNS_PATH } from '../../../src/lab/real-node/layout.js';

const asNobody = (args: string[]): Promise<{ code: number | null; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });

const notRoot = process.getuid?.() !== 0 ? 'needs root to drop to an unprivileged user' : false;

test('without root, lab run --node real exits 3 with one line and no namespace', { skip: notRoot }, async () => {
  const hadNetns = existsSync(NETNS_PATH);
  const r = await asNobody(['lab', 'run', 'rolling-update-graceful', '--node', 'real']);
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /needs root/);
  assert.equal(existsSync(NETNS_PATH), hadNetns);
});
