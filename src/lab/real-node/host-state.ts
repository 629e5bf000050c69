// What the real node changes on the host, saved before the first start and put back by cleanup —
// also after a crash, because the record lives in STATE_DIR until a cleanup has restored it.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_PATHS, HOST_SYSCTLS, STATE_DIR } from './layout.js';

export interface HostState {
  /** sysctl path under /proc/sys -> value before the kubelet ran. */
  sysctls: Record<string, string>;
  /** Host paths (HOST_PATHS) that existed before; the others are ours to remove. */
  existed: string[];
}

const STATE_FILE = join(STATE_DIR, 'host-state.json');

const readSysctl = (key: string): string | undefined => {
  try {
    return readFileSync(join('/proc/sys', key), 'utf8').trim();
  } catch {
    return undefined;
  }
};

export function readSavedHostState(): HostState | undefined {
  try {
    return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as HostState;
  } catch {
    return undefined;
  }
}

/** Records the host as it is now, unless a record from an unfinished run is still there (that one is the truth). */
export function saveHostState(): HostState {
  const saved = readSavedHostState();
  if (saved) return saved;
  const sysctls: Record<string, string> = {};
  for (const key of HOST_SYSCTLS) {
    const v = readSysctl(key);
    if (v !== undefined) sysctls[key] = v;
  }
  const state = { sysctls, existed: HOST_PATHS.filter((p) => existsSync(p)) };
  mkdirSync(STATE_DIR, { recursive: true });
  // Written then renamed, so a crash never leaves half a record that would restore wrong values.
  writeFileSync(`${STATE_FILE}.tmp`, JSON.stringify(state, null, 2));
  renameSync(`${STATE_FILE}.tmp`, STATE_FILE);
  return state;
}

/** Writes every saved sysctl back; returns what it could not restore (empty when all went well). */
export function restoreSysctls(state: HostState): string[] {
  const failed: string[] = [];
  for (const [key, value] of Object.entries(state.sysctls)) {
    if (readSysctl(key) === value) continue;
    try {
      writeFileSync(join('/proc/sys', key), value);
    } catch (err) {
      failed.push(`${key.replaceAll('/', '.')}=${value}: ${(err as Error).message}`);
    }
  }
  return failed;
}

export const forgetHostState = (): void => rmSync(STATE_FILE, { force: true });
