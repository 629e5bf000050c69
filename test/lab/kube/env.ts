// Shared by the real-control-plane tests: skip or fail without binaries, kubeconfig helpers.
import { KubeConfig } from '@kubernetes/client-node';
import { kubeBinariesBuilt, NOT_BUILT_MESSAGE } from '../../../src/lab/kube/binaries.js';

export const built = kubeBinariesBuilt();

/** Without binaries a developer's run skips; CI must build them, so there every test fails with the hint. */
export const skipUnlessBuilt: string | false = built || process.env['CI'] ? false : NOT_BUILT_MESSAGE;

export function loadKubeconfig(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

export const tokenOf = (path: string): string => loadKubeconfig(path).getCurrentUser()?.token ?? '';

/** The watch cache answers HTTP 410; a watch served from etcd sends an ERROR event with code 410. */
export function isGone(res: { status: number; body: string }): boolean {
  return res.status === 410 || /"code":\s*410/.test(res.body);
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
