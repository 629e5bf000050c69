// Real Traefik v3 (test/kube/traefik/build.sh) as the ingress of a real-node scenario: its Kubernetes
// Ingress provider reads the real apiserver; an entry point on loopback inside the namespace; a JSON
// access log as ground truth of what Traefik answered. Defaults as shipped (providersThrottleDuration
// 2 s, dial timeout 30 s): the scenarios must see what a user of Traefik sees.
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ZdError } from '../../errors.js';
import { startChild } from '../kube/child-process.js';
import { freePort } from '../kube/ports.js';
import { waitHttpOk } from '../kube/wait-ready.js';

export const TRAEFIK_VERSION = 'v3.7.13';
/** The IngressClass controller name Traefik's Kubernetes Ingress provider serves. */
export const TRAEFIK_INGRESS_CONTROLLER = 'traefik.io/ingress-controller';

export function traefikBinary(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env['ZDPROBE_CACHE'] || join(env['HOME'] || '/root', '.cache', 'zdprobe');
  return join(cache, 'traefik', TRAEFIK_VERSION, 'bin', 'traefik');
}

export function traefikUnavailable(): string | undefined {
  try {
    accessSync(traefikBinary(), constants.X_OK);
    return undefined;
  } catch {
    return `this scenario needs real Traefik ${TRAEFIK_VERSION} at ${traefikBinary()}: run bash test/kube/traefik/build.sh`;
  }
}

export interface Traefik {
  url: string;
  accessLog: string;
  close(): Promise<void>;
}

export async function startTraefik(opts: { kubeconfig: string; dir: string; timeoutMs?: number }): Promise<Traefik> {
  const why = traefikUnavailable();
  if (why) throw new ZdError('unreachable', why);
  mkdirSync(opts.dir, { recursive: true });
  const web = await freePort();
  const admin = await freePort();
  const accessLog = join(opts.dir, 'access.log');
  const args = [
    `--entryPoints.web.address=127.0.0.1:${web}`,
    `--entryPoints.traefik.address=127.0.0.1:${admin}`,
    '--ping=true',
    '--ping.entryPoint=traefik',
    '--providers.kubernetesingress=true',
    '--accesslog=true',
    '--accesslog.format=json',
    `--accesslog.filepath=${accessLog}`,
    '--log.level=INFO',
    '--global.checknewversion=false',
    '--global.sendanonymoususage=false',
  ];
  const child = startChild('traefik', traefikBinary(), args, join(opts.dir, 'traefik.log'), { KUBECONFIG: opts.kubeconfig });
  try {
    await waitHttpOk(`http://127.0.0.1:${admin}/ping`, { child, timeoutMs: opts.timeoutMs ?? 60_000 });
  } catch (err) {
    await child.stop(2000);
    throw err;
  }
  return { url: `http://127.0.0.1:${web}`, accessLog, close: () => child.stop(5000) };
}
