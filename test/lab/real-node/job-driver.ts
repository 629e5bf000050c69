// Runs inside the real node's network namespace for job.test.ts (the API server and pod IPs are
// reachable only there): imports the zdprobe image into containerd, renders `zdprobe job` for the
// scenario's Service, creates the objects, waits for the Job to finish and writes the pods' logs
// as `kubectl logs --prefix` would. Prints one JSON line: the Job's outcome and where the pods ran.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { BatchV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { containerdSocket } from '../../../src/lab/real-node/layout.js';
import { pollFor } from '../../../src/lab/kube/wait-ready.js';
import { BIN } from '../../helpers/cli.js';

const [kubeconfig, imageTar, logsPath, ...probeArgs] = process.argv.slice(2) as [string, string, string, ...string[]];
const kc = new KubeConfig();
kc.loadFromFile(kubeconfig);
const core = kc.makeApiClient(CoreV1Api);

execFileSync('/usr/bin/ctr', ['--address', containerdSocket(), '--namespace', 'k8s.io', 'images', 'import', imageTar], { stdio: 'ignore' });
const svc = await core.readNamespacedService({ name: 'web', namespace: 'default' });
const yaml = execFileSync(process.execPath, [BIN, 'job', `http://${svc.spec!.clusterIP}/`, '-n', 'default', '--parallelism', '2', '--image', 'zdprobe:0.1.0', '--', ...probeArgs], { encoding: 'utf8' });
const objects = kc.makeApiClient(KubernetesObjectApi);
for (const doc of parseAllDocuments(yaml)) await objects.create(doc.toJS() as KubernetesObject);

const batch = kc.makeApiClient(BatchV1Api);
const outcome = await pollFor('the Job to finish', 240_000, async () => {
  const job = await batch.readNamespacedJob({ name: 'zdprobe', namespace: 'default' });
  return job.status?.conditions?.find((c) => c.status === 'True' && (c.type === 'Complete' || c.type === 'Failed'))?.type;
});
const pods = (await core.listNamespacedPod({ namespace: 'default', labelSelector: 'zdprobe.dev/job=zdprobe' })).items;
let logs = '';
for (const p of pods) {
  const log = await core.readNamespacedPodLog({ name: p.metadata!.name!, namespace: 'default', container: 'zdprobe' });
  logs += log.split('\n').map((l) => `[pod/${p.metadata!.name}/zdprobe] ${l}`).join('\n') + '\n';
}
writeFileSync(logsPath, logs);
process.stdout.write(JSON.stringify({ outcome, nodes: pods.map((p) => p.spec?.nodeName), phases: pods.map((p) => p.status?.phase) }) + '\n');
