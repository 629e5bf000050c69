// containerd with a private root, state and socket, the CRI plugin set up for a sandbox that lacks
// CAP_SYS_RESOURCE, runc state kept private too, and the CNI bridge plugin with a private config.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startChild, type Child } from '../kube/child-process.js';
import { pollFor } from '../kube/wait-ready.js';
import { containerdSocket, DATA_DIR, POD_CIDR } from './layout.js';
import { PAUSE_IMAGE } from './images.js';

const run = promisify(execFile);
const CNI_BIN_DIR = '/usr/lib/cni';

export function containerdConfig(base: string): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return `version = 2
root = "${join(base, 'root')}"
state = "${join(base, 'state')}"
# The CRI plugin would otherwise create /opt/containerd.
[plugins."io.containerd.internal.v1.opt"]
  path = "${join(base, 'opt')}"
[grpc]
  address = "${containerdSocket()}"
[ttrpc]
  address = "${join(base, 'containerd.sock.ttrpc')}"
[${cri}]
  sandbox_image = "${PAUSE_IMAGE}"
  # Pod network namespaces bind-mounted under our state dir, not /var/run/netns.
  netns_mounts_under_state_dir = true
  # runc cannot lower oom_score_adj without CAP_SYS_RESOURCE: every sandbox would fail with
  # "can't get final child's PID from pipe: EOF".
  restrict_oom_score_adj = true
  enable_selinux = false
[${cri}.containerd]
  snapshotter = "overlayfs"
  default_runtime_name = "runc"
[${cri}.containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"
[${cri}.containerd.runtimes.runc.options]
  SystemdCgroup = false
  Root = "${join(base, 'runc')}"
[${cri}.cni]
  bin_dir = "${CNI_BIN_DIR}"
  conf_dir = "${join(base, 'cni', 'net.d')}"
`;
}

export function cniConflist(base: string): string {
  return JSON.stringify({
    cniVersion: '0.4.0',
    name: 'zdprobe',
    plugins: [
      {
        type: 'bridge',
        bridge: 'cni0',
        isGateway: true,
        ipMasq: true,
        hairpinMode: true,
        ipam: { type: 'host-local', ranges: [[{ subnet: POD_CIDR }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: join(base, 'cni', 'ipam') },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  }, null, 2);
}

export interface Containerd {
  child: Child;
  socket: string;
  ctr(args: string[]): Promise<string>;
}

export async function startContainerd(logDir: string, timeoutMs: number): Promise<Containerd> {
  const base = join(DATA_DIR, 'containerd');
  mkdirSync(join(base, 'cni', 'net.d'), { recursive: true });
  writeFileSync(join(base, 'config.toml'), containerdConfig(base));
  writeFileSync(join(base, 'cni', 'net.d', '10-zdprobe.conflist'), cniConflist(base));
  const child = startChild('containerd', '/usr/bin/containerd', ['--config', join(base, 'config.toml')], join(logDir, 'containerd.log'));
  const socket = containerdSocket();
  const ctr = async (args: string[]): Promise<string> => (await run('/usr/bin/ctr', ['--address', socket, '--namespace', 'k8s.io', ...args], { maxBuffer: 16 << 20 })).stdout;
  await pollFor('containerd to answer on its socket', timeoutMs, async () => {
    if (!child.running()) throw new Error('containerd exited; see containerd.log');
    return (await ctr(['version'])) ? true : undefined;
  });
  return { child, socket, ctr };
}
