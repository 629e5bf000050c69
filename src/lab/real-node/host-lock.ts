// One real-node lab per machine: two kubelets on one cgroup root would clean up each other's pods.
import { mkdirSync, openSync, closeSync, readdirSync, readFileSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ZdError } from '../../errors.js';
import { STATE_DIR } from './layout.js';

const LOCK_FILE = join(STATE_DIR, 'lock');

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The pid holding the lock, when that process still lives. */
export function lockHolder(): number | undefined {
  try {
    const pid = Number(readFileSync(LOCK_FILE, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the host lock for this process or says in one line who holds it; a dead holder's lock is taken over. */
export function takeHostLock(pid = process.pid): () => void {
  mkdirSync(STATE_DIR, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(LOCK_FILE, 'wx');
      writeSync(fd, `${pid}\n`);
      closeSync(fd);
      return () => {
        if (readFileSync(LOCK_FILE, 'utf8').trim() === String(pid)) rmSync(LOCK_FILE, { force: true });
        // The state dir goes too once nothing is left in it (a record kept for restoring stays).
        if (readdirSync(STATE_DIR).length === 0) rmdirSync(STATE_DIR);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = lockHolder();
      if (holder !== undefined) {
        throw new ZdError('unreachable', `a real-node lab is already running on this machine (pid ${holder}); one at a time (lock ${LOCK_FILE})`);
      }
      rmSync(LOCK_FILE, { force: true }); // left by a process that died
    }
  }
  throw new ZdError('unreachable', `cannot take the real-node lock ${LOCK_FILE}`);
}
