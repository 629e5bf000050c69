// Kubeconfig files for token users, trusting the apiserver's self-signed serving certificate.
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export interface KubeconfigSpec {
  server: string;
  /** PEM of the CA that signed the serving cert; when absent the file skips TLS verification. */
  caPem?: string;
  user: string;
  token: string;
  namespace?: string;
}

export function kubeconfigYaml(spec: KubeconfigSpec): string {
  const cluster: Record<string, unknown> = { server: spec.server };
  if (spec.caPem) cluster['certificate-authority-data'] = Buffer.from(spec.caPem).toString('base64');
  else cluster['insecure-skip-tls-verify'] = true;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'zdprobe-kube', cluster }],
    users: [{ name: spec.user, user: { token: spec.token } }],
    contexts: [
      {
        name: spec.user,
        context: { cluster: 'zdprobe-kube', user: spec.user, namespace: spec.namespace ?? 'default' },
      },
    ],
    'current-context': spec.user,
  });
}

export function writeKubeconfig(path: string, spec: KubeconfigSpec): string {
  writeFileSync(path, kubeconfigYaml(spec), { mode: 0o600 });
  return path;
}
