import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { RESOURCES } from '../../src/watch/resources.js';

describe('deploy/rbac.yaml', async () => {
  const text = await readFile(new URL('../../../deploy/rbac.yaml', import.meta.url), 'utf8');
  const docs = parseAllDocuments(text).map((d) => d.toJS());
  const role = docs.find((d) => d.kind === 'Role');
  const rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> = role.rules;

  it('grants only get, list and watch', () => {
    for (const r of rules) assert.deepEqual([...r.verbs].sort(), ['get', 'list', 'watch']);
  });

  it('covers every resource the watcher reads, and nothing else', () => {
    const granted = rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${g}/${res}`))).sort();
    const read = RESOURCES.filter((d) => !d.clusterScoped).map((d) => `${d.group}/${d.resource}`).sort();
    assert.deepEqual(granted, read);
  });

  it('binds the Role to the ServiceAccount it ships', () => {
    const binding = docs.find((d) => d.kind === 'RoleBinding');
    const sa = docs.find((d) => d.kind === 'ServiceAccount');
    assert.equal(binding.roleRef.name, role.metadata.name);
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace }]);
  });
});

describe('deploy/rbac.yaml, cluster scope', async () => {
  const text = await readFile(new URL('../../../deploy/rbac.yaml', import.meta.url), 'utf8');
  const docs = parseAllDocuments(text).map((d) => d.toJS());

  it('lets the watcher read and watch Nodes (get, list, watch: every cluster-scoped resource it reads), bound to the same ServiceAccount', () => {
    const role = docs.find((d) => d.kind === 'ClusterRole');
    assert.deepEqual(role.rules, [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] }]);
    assert.deepEqual(RESOURCES.filter((d) => d.clusterScoped).map((d) => d.resource), ['nodes']);
    const binding = docs.find((d) => d.kind === 'ClusterRoleBinding');
    const sa = docs.find((d) => d.kind === 'ServiceAccount');
    assert.equal(binding.roleRef.name, role.metadata.name);
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace }]);
  });
});
