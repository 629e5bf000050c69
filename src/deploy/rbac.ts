// The RBAC objects of deploy/rbac.yaml (the one place they are written down), for a namespace.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

export type Manifest = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [k: string]: unknown } };

const RBAC_YAML = new URL('../../../deploy/rbac.yaml', import.meta.url);

/**
 * ServiceAccount, Role and RoleBinding in `namespace`; the Nodes ClusterRole, and its binding named
 * per namespace so jobs in two namespaces do not overwrite each other's.
 */
export function rbacFor(namespace: string, text = readFileSync(RBAC_YAML, 'utf8')): Manifest[] {
  const docs = parseAllDocuments(text).map((d) => d.toJS() as Manifest).filter(Boolean);
  return docs.map((m) => {
    const out = structuredClone(m);
    if (out.metadata.namespace !== undefined) out.metadata.namespace = namespace;
    if (out.kind === 'ClusterRoleBinding') out.metadata.name = `${out.metadata.name}-${namespace}`;
    const subjects = out['subjects'] as Array<{ namespace?: string }> | undefined;
    for (const s of subjects ?? []) if (s.namespace !== undefined) s.namespace = namespace;
    return out;
  });
}
