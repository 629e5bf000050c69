// SEEDS pattern 5 through real Traefik v3 on the real node: the rollout without preStop drops
// requests with what Traefik really answers; its graceful twin drops none.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Summary } from '../../../src/types.js';
import { traefikUnavailable } from '../../../src/lab/real-node/traefik.js';
import { runCli } from '../../helpers/cli.js';
import { withLabLock } from '../../helpers/lab-lock.js';
import { leftovers, unavailable } from './env.js';

const why = unavailable ?? traefikUnavailable();
const skip: string | false = why && !process.env['CI'] ? why : false;
const dir = mkdtempSync(join(tmpdir(), 'zdprobe-traefik-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(scenario: string): Promise<{ code: number | null; summary: Summary; out: string }> {
  assert.equal(why, undefined, why);
  const json = join(dir, `${scenario}.json`);
  const r = await withLabLock(() => runCli(['lab', 'run', scenario, '--node', 'real', '--json', json], { timeoutMs: 600_000 }));
  const out = `${r.stdout}\n${r.stderr}`;
  assert.deepEqual(leftovers(), [], `the run left these behind:\n${out}`);
  return { code: r.code, summary: JSON.parse(readFileSync(json, 'utf8')) as Summary, out };
}

describe('SEEDS pattern 5 through real Traefik', { skip, timeout: 3_600_000 }, () => {
  it('traefik-rolling-update drops requests, answered by Traefik as gateway errors', async () => {
    const { code, summary, out } = await run('traefik-rolling-update');
    assert.equal(code, 0, `expectations not met:\n${out}`);
    const failed = Object.entries(summary.status).filter(([s]) => Number(s) >= 500);
    assert.ok(failed.length > 0, `Traefik answered the dropped requests with 5xx: ${JSON.stringify(summary.status)} ${JSON.stringify(summary.errors)}`);
    assert.ok(failed.every(([s]) => s === '502' || s === '504'), `only 502/504 from Traefik: ${JSON.stringify(summary.status)}`);
  });

  it('traefik-rolling-update-graceful drops none', async () => {
    const { code, summary, out } = await run('traefik-rolling-update-graceful');
    assert.equal(code, 0, `expectations not met:\n${out}`);
    assert.equal(summary.totals.failed + summary.totals.late, 0);
  });
});
