// The host-side guards of the real node: one lab per machine, and a cleanup that can run any time.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cleanupHost } from '../../../src/lab/real-node/cleanup.js';
import { lockHolder, takeHostLock } from '../../../src/lab/real-node/host-lock.js';
import { readSavedHostState, restoreSysctls } from '../../../src/lab/real-node/host-state.js';
import { HOST_PATHS, STATE_DIR } from '../../../src/lab/real-node/layout.js';
import { LAB_TEST_TIMEOUT, withLabLock } from '../../helpers/lab-lock.js';
import { leftovers, sysctls } from './env.js';

const skip = process.getuid?.() !== 0 ? 'needs root (/run and /proc/sys)' : lockHolder() !== undefined ? 'a real-node lab is running on this machine' : false;

// Each test may first wait for other files' labs (the lab lock), so the suite gets a lab test's timeout.
describe('real-node host guards', { skip, timeout: LAB_TEST_TIMEOUT }, () => {
  it('a second lab start says in one line who holds the lock', async () => {
    await withLabLock(async () => {
      const release = takeHostLock();
      try {
        assert.throws(() => takeHostLock(process.pid + 1), (err: Error) => err.message.includes(`pid ${process.pid}`) && !err.message.includes('\n'));
      } finally {
        release();
      }
      assert.equal(lockHolder(), undefined);
    });
  });

  it('the lock of a process that died is taken over', async () => {
    await withLabLock(async () => {
      mkdirSync(STATE_DIR, { recursive: true });
      writeFileSync(join(STATE_DIR, 'lock'), '2147483646\n'); // no such pid
      const release = takeHostLock();
      assert.equal(readFileSync(join(STATE_DIR, 'lock'), 'utf8').trim(), String(process.pid));
      release();
    });
  });

  it('cleanup is idempotent on a clean host and changes nothing there', async () => {
    await withLabLock(async () => {
      const before = sysctls();
      assert.deepEqual((await cleanupHost()).problems, []);
      assert.deepEqual((await cleanupHost()).problems, []);
      assert.deepEqual(leftovers(), []);
      assert.equal(existsSync(STATE_DIR), false);
      assert.deepEqual(sysctls(), before);
    });
  });

  it('sysctls recorded by a run that crashed are restored by the next cleanup', async () => {
    await withLabLock(async () => {
      const key = 'kernel/panic';
      const original = sysctls()[key]!;
      const record = join(STATE_DIR, 'host-state.json');
      assert.equal(existsSync(record), false, 'no record from an unfinished run');
      mkdirSync(STATE_DIR, { recursive: true });
      // A crashed run: the record says what the value was, the kubelet left another value behind.
      // Paths that exist now are recorded as pre-existing, so this cleanup removes none of them.
      writeFileSync(record, JSON.stringify({ sysctls: { [key]: original }, existed: HOST_PATHS.filter((p) => existsSync(p)) }));
      writeFileSync(join('/proc/sys', key), String(Number(original) + 7));
      try {
        assert.deepEqual((await cleanupHost()).problems, []);
        assert.equal(sysctls()[key], original);
        assert.equal(readSavedHostState(), undefined, 'the record is gone once restored');
      } finally {
        restoreSysctls({ sysctls: { [key]: original }, existed: [] });
      }
    });
  });
});
