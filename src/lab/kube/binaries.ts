// Where the control-plane binaries built by test/kube/build.sh live, and a clear error when they do not.
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ZdError } from '../../errors.js';

/** Must equal the k8s.io/kubernetes version pinned in test/kube/kube/go.mod (a test checks it). */
export const KUBE_VERSION = 'v1.34.4';

export const NOT_BUILT_MESSAGE = 'kube control plane binaries not built: run bash test/kube/build.sh';

export interface KubeBinaries {
  etcd: string;
  apiServer: string;
  controllerManager: string;
}

/** The cache dir build.sh writes to: ${ZDPROBE_CACHE:-$HOME/.cache/zdprobe}/kube/<version>/bin. */
export function defaultBinDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env['ZDPROBE_CACHE'] || join(env['HOME'] || homedir(), '.cache', 'zdprobe');
  return join(cache, 'kube', KUBE_VERSION, 'bin');
}

export function kubeBinaries(binDir: string = defaultBinDir()): KubeBinaries {
  return {
    etcd: join(binDir, 'etcd'),
    apiServer: join(binDir, 'kube-apiserver'),
    controllerManager: join(binDir, 'kube-controller-manager'),
  };
}

/** Throws ZdError('unreachable') unless all three binaries exist and are executable. */
export function findKubeBinaries(binDir?: string): KubeBinaries {
  const bins = kubeBinaries(binDir);
  for (const file of Object.values(bins)) {
    try {
      accessSync(file, constants.X_OK);
    } catch {
      throw new ZdError('unreachable', NOT_BUILT_MESSAGE);
    }
  }
  return bins;
}

/** True when the binaries are present; for tests that skip (or fail in CI) without them. */
export function kubeBinariesBuilt(binDir?: string): boolean {
  try {
    findKubeBinaries(binDir);
    return true;
  } catch {
    return false;
  }
}
