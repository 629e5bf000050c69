// zdprobe job on the real node: the zdprobe image (built without Docker) imported into containerd,
// an Indexed Job of 2 pods probing the lab's Service at half the rate each and watching its
// Deployment with the rendered RBAC, their recordings collected from the pods' logs and merged.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import type { Summary } from '../../../src/types.js';
import { NETNS_PATH } from '../../../src/lab/real-node/layout.js';
import { BIN, runCli } from '../../helpers/cli.js';
import { withLabLock } from '../../helpers/lab-lock.js';
import { leftovers, skipUnlessRealNode, unavailable } from './env.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'zdprobe-real-job-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const DRIVER = fileURLToPath(new URL('./job-driver.js', import.meta.url));

/** `lab up --node real`, retried while another real-node lab holds the host; resolves with its kubeconfig. */
async function labUp(): Promise<{ kubeconfig: string; down(): Promise<number | null> }> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const child = spawn(process.execPath, [BIN, 'lab', 'up', '--node', 'real', '--scenario', 'rolling-update-graceful'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const up = await Promise.race([
      new Promise<boolean>((resolve) => child.stdout.on('data', () => /Ctrl-C to tear it down/.test(out) && resolve(true))),
      exited.then(() => false),
    ]);
    if (up) {
      return { kubeconfig: /export KUBECONFIG=(\S+)/.exec(out)![1]!, down: () => (child.kill('SIGTERM'), exited) };
    }
    if (!/already running/.test(out)) throw new Error(`lab up failed:\n${out}`);
    await new Promise((r) => setTimeout(r, 10_000));
  }
  throw new Error('the real node stayed busy for 10 minutes');
}

describe('zdprobe job on the real node', { skip: skipUnlessRealNode, timeout: 3_600_000 }, () => {
  it('2 pods at half the rate each, collected from their logs and merged: every request accounted once', async () => {
    assert.equal(unavailable, undefined, unavailable);
    const tar = join(dir, 'zdprobe.oci.tar');
    const built = await runCli(['image', 'build', '--out', tar, '--name', 'zdprobe:0.1.0'], { timeoutMs: 300_000 });
    assert.equal(built.code, 0, built.stderr);
    const logs = join(dir, 'job.logs');
    const result = await withLabLock(async () => {
      const lab = await labUp();
      try {
        const { stdout } = await run('nsenter', [`--net=${NETNS_PATH}`, '--', process.execPath, DRIVER, lab.kubeconfig, tar, logs, '-d', '15s', '--rps', '40', '--deployment', 'web'], { timeout: 600_000 });
        return JSON.parse(stdout) as { outcome: string; nodes: string[]; phases: string[] };
      } finally {
        assert.equal(await lab.down(), 0, 'lab down');
      }
    }, 1_200_000);
    assert.deepEqual(leftovers(), [], 'the lab left nothing behind');
    assert.equal(result.nodes.length, 2, 'two pods ran (a one-node cluster runs both: ScheduleAnyway)');

    const merged = await runCli(['merge', '--from-logs', logs, '--format', 'json']);
    const s = JSON.parse(merged.stdout) as Summary;
    assert.equal(s.sources?.length, 2, 'one recording per pod, each complete');
    assert.ok(s.sources!.every((x) => x.complete && x.totals.scheduled === 300), JSON.stringify(s.sources));
    assert.equal(s.totals.scheduled, 600, '2 pods × 20 rps × 15 s');
    assert.equal(s.totals.ok + s.totals.failed + s.totals.late, 600, 'every scheduled request accounted once');
    assert.equal(s.cluster.watched, true, 'each pod watched the Deployment with the rendered ServiceAccount');
    assert.equal(s.cluster.nodes?.[0]?.name, 'zdprobe-real-node', 'the ClusterRole let it read the Node');
    assert.equal(result.outcome === 'Complete', s.gate.passed, `the Job (${result.outcome}) and the merged gate agree: ${JSON.stringify(s.totals)} ${JSON.stringify(s.errors)}`);
    process.stdout.write(`# measured: Job ${result.outcome}; merged ${JSON.stringify(s.totals)} errors ${JSON.stringify(s.errors)} p99 ${s.latencyMs.p99} ms\n`);
  });
});
