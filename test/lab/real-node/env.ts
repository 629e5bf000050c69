// Shared by the real-node tests: skip with the reason the real node cannot run here, or fail in CI.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Summary } from '../../../src/types.js';
import { runCli } from '../../helpers/cli.js';
import { withLabLock } from '../../helpers/lab-lock.js';
import { realNodeUnavailable } from '../../../src/lab/real-node/preflight.js';
import { DATA_DIR, HOST_SYSCTLS, NETNS_PATH } from '../../../src/lab/real-node/layout.js';

export const unavailable = realNodeUnavailable();

/** A developer's run skips with the one-line reason; CI has root, the packages and the build, so there it fails. */
export const skipUnlessRealNode: string | false = unavailable && !process.env['CI'] ? unavailable : false;

export const sysctls = (): Record<string, string> =>
  Object.fromEntries(HOST_SYSCTLS.map((k) => [k, (() => {
    try {
      return readFileSync(join('/proc/sys', k), 'utf8').trim();
    } catch {
      return '';
    }
  })()]));

/** What a finished run must not leave: the namespace, the data dir. */
export const leftovers = (): string[] => [NETNS_PATH, DATA_DIR].filter((p) => existsSync(p));

/** `lab run SCENARIO --node real` under the lab lock; it must leave nothing behind and restore the sysctls. */
export async function runOnRealNode(dir: string, scenario: string): Promise<{ code: number | null; summary: Summary; out: string }> {
  const json = join(dir, `${scenario}.json`);
  // Read the sysctls under the lock: another file's lab may hold changed values until it ends.
  const { r, before, after } = await withLabLock(async () => {
    const before = sysctls();
    const r = await runCli(['lab', 'run', scenario, '--node', 'real', '--json', json], { timeoutMs: 600_000 });
    return { r, before, after: sysctls() };
  });
  const out = `${r.stdout}\n${r.stderr}`;
  assert.deepEqual(leftovers(), [], `the run left these behind:\n${out}`);
  assert.deepEqual(after, before, 'host-wide sysctls the kubelet changed are restored');
  return { code: r.code, summary: JSON.parse(readFileSync(json, 'utf8')) as Summary, out };
}
