// Shared by the real-node tests: skip with the reason the real node cannot run here, or fail in CI.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
