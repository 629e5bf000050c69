// One lab scenario at a time across test files (node runs test files in parallel processes): two
// labs at once on a 2-core machine starve each other's timing and make results flaky. Unit tests
// still run alongside. The lock is a directory (mkdir is atomic) holding the owner's pid.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../src/lab/scenario/scenario.js';
import { runScenario, type ScenarioOptions, type ScenarioResult } from '../../src/lab/scenario/run-scenario.js';
import { lockHolder } from '../../src/lab/real-node/host-lock.js';

const LOCK = join(tmpdir(), 'zdprobe-lab-test.lock');

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function tryLock(): boolean {
  try {
    mkdirSync(LOCK);
  } catch {
    if (stale()) rmSync(LOCK, { recursive: true, force: true }); // left by a killed run
    return false;
  }
  writeFileSync(join(LOCK, 'pid'), String(process.pid));
  return true;
}

/**
 * The lock's owner is gone, or it never wrote its pid (killed between mkdir and write). Only read
 * here, never created: a waiter that created the pid file while the owner removed the lock made the
 * owner's removal fail (ENOTEMPTY) and left an ownerless lock every later lab test waited on.
 */
function stale(): boolean {
  let owner = 0;
  try {
    owner = Number(readFileSync(join(LOCK, 'pid'), 'utf8')) || 0;
  } catch {
    // not written yet, or being removed
  }
  if (owner) return !alive(owner);
  try {
    return Date.now() - statSync(LOCK).mtimeMs > 10_000;
  } catch {
    return false;
  }
}

export async function withLabLock<T>(fn: () => Promise<T>, waitMs = 900_000): Promise<T> {
  const deadline = Date.now() + waitMs;
  while (!tryLock()) {
    if (Date.now() > deadline) throw new Error(`another lab test held ${LOCK} for ${waitMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
  try {
    // A real-node lab started outside the tests (by hand, `lab up --node real`) holds the host: wait
    // for it too rather than fail on "one at a time" or count its namespace as our leftover.
    while (lockHolder() !== undefined) {
      if (Date.now() > deadline) throw new Error(`a real-node lab (pid ${lockHolder()}) held the host for ${waitMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Runs a scenario under the lab lock. */
export async function runLabScenario(name: string, opts: ScenarioOptions = {}): Promise<ScenarioResult> {
  return withLabLock(() => runScenario(loadScenario(name), opts));
}

/** Generous per-test timeout: a lab test may first wait for the others' labs. */
export const LAB_TEST_TIMEOUT = 1_200_000;
