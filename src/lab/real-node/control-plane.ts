// The real control plane for the real node: the same etcd/kube-apiserver/kube-controller-manager
// command lines as src/lab/kube (flags.ts), bound to the node IP inside the namespace, with every
// controller on (node lifecycle lifts the not-ready taint), NodeRestriction, and token users for
// the kubelet (system:node:<name>), kube-proxy and kube-scheduler.
import { appendFileSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { startChild, type Child } from '../kube/child-process.js';
import { writeCredentials } from '../kube/credentials.js';
import { apiServerArgs, apiServerUrl, controllerManagerArgs, etcdArgs, etcdUrl, servingCert, type Layout } from '../kube/flags.js';
import { installLabResources } from '../kube/install.js';
import { writeKubeconfig } from '../kube/kubeconfig.js';
import { waitHttpOk } from '../kube/wait-ready.js';
import { NODE_IP, NODE_NAME } from './layout.js';
import type { RealNodeBinaries } from './preflight.js';

export interface RealControlPlane {
  url: string;
  /** Admin (system:masters) kubeconfig. */
  kubeconfig: string;
  restrictedKubeconfig: string;
  kubeletKubeconfig: string;
  kubeProxyKubeconfig: string;
  schedulerKubeconfig: string;
  children: Child[];
}

/** Replaces a flag's value in a command line, or adds the flag. */
export function withFlag(args: string[], name: string, value: string): string[] {
  const flag = `--${name}=${value}`;
  return args.some((a) => a.startsWith(`--${name}=`)) ? args.map((a) => (a.startsWith(`--${name}=`) ? flag : a)) : [...args, flag];
}

const token = (): string => randomBytes(24).toString('hex');

export async function startRealControlPlane(bins: RealNodeBinaries, dir: string, timeoutMs: number, started: (c: Child) => void): Promise<RealControlPlane> {
  const creds = writeCredentials(dir);
  const node = { name: `system:node:${NODE_NAME}`, token: token(), groups: ['system:nodes'] };
  const proxy = { name: 'system:kube-proxy', token: token(), groups: [] as string[] };
  const scheduler = { name: 'system:kube-scheduler', token: token(), groups: [] as string[] };
  appendFileSync(creds.tokenFile, [node, proxy, scheduler].map((u) => `${u.token},${u.name},${u.name},"${u.groups.join(',')}"`).join('\n') + '\n');
  // Inside the namespace every port is ours: the well-known ones, on the node IP.
  const l: Layout = {
    dir, host: NODE_IP, etcdClientPort: 2379, etcdPeerPort: 2380, apiServerPort: 6443, controllerManagerPort: 10257,
    serviceAccountKey: creds.serviceAccountKey, serviceAccountPub: creds.serviceAccountPub, tokenFile: creds.tokenFile,
    controllerManagerKubeconfig: join(dir, 'controller-manager.kubeconfig'), watchCache: true,
  };
  const children: Child[] = [];
  const start = (name: string, file: string, args: string[]): Child => {
    const c = startChild(name, file, args, join(dir, `${name}.log`));
    children.push(c);
    started(c);
    return c;
  };
  const etcd = start('etcd', bins.etcd, etcdArgs(l));
  await waitHttpOk(`${etcdUrl(l)}/health`, { child: etcd, timeoutMs });
  let apiArgs = withFlag(apiServerArgs(l), 'kubelet-preferred-address-types', 'InternalIP');
  apiArgs = withFlag(apiArgs, 'enable-admission-plugins', 'NodeRestriction');
  const api = start('kube-apiserver', bins['kube-apiserver'], apiArgs);
  await waitHttpOk(`${apiServerUrl(l)}/readyz`, { child: api, token: creds.admin.token, timeoutMs });
  const caPem = readFileSync(servingCert(l), 'utf8');
  const server = apiServerUrl(l);
  const kc = (file: string, u: { name: string; token: string }): string => writeKubeconfig(join(dir, file), { server, caPem, user: u.name, token: u.token });
  kc('controller-manager.kubeconfig', creds.controllerManager);
  const paths = {
    kubeconfig: kc('admin.kubeconfig', creds.admin),
    restrictedKubeconfig: kc('restricted.kubeconfig', creds.restricted),
    kubeletKubeconfig: kc('kubelet.kubeconfig', node),
    kubeProxyKubeconfig: kc('kube-proxy.kubeconfig', proxy),
    schedulerKubeconfig: kc('scheduler.kubeconfig', scheduler),
  };
  // Every controller, node lifecycle included: without it the not-ready taint stays and pods stay Pending.
  const kcm = start('kube-controller-manager', bins['kube-controller-manager'], withFlag(controllerManagerArgs(l), 'controllers', '*'));
  await waitHttpOk(`https://${NODE_IP}:${l.controllerManagerPort}/healthz`, { child: kcm, timeoutMs });
  const admin = new KubeConfig();
  admin.loadFromFile(paths.kubeconfig);
  await installLabResources(admin, timeoutMs);
  return { url: server, ...paths, children };
}
