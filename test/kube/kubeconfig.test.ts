import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kubeConfigOf, loadKubeConfig } from '../../src/kube/kubeconfig.js';

function config(server: string, contexts: Array<{ name: string; namespace?: string }>, current: string): string {
  return [
    'apiVersion: v1', 'kind: Config',
    'clusters:', '- name: c', '  cluster:', `    server: ${server}`,
    'users:', '- name: u', '  user:', '    token: not-a-real-token',
    'contexts:',
    ...contexts.flatMap((c) => [`- name: ${c.name}`, '  context:', '    cluster: c', '    user: u', ...(c.namespace ? [`    namespace: ${c.namespace}`] : [])]),
    `current-context: ${current}`, '',
  ].join('\n');
}

describe('loadKubeConfig follows kubectl', () => {
  let dir: string;
  let fromFlag: string;
  let fromEnv: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zdprobe-kc-'));
    fromFlag = join(dir, 'flag');
    fromEnv = join(dir, 'env');
    await writeFile(fromFlag, config('https://flag.example:6443', [{ name: 'a', namespace: 'shop' }, { name: 'b' }], 'a'));
    await writeFile(fromEnv, config('http://127.0.0.1:1', [{ name: 'e', namespace: 'envns' }], 'e'));
    await mkdir(join(dir, 'home', '.kube'), { recursive: true });
    await writeFile(join(dir, 'home', '.kube', 'config'), config('https://home.example', [{ name: 'h' }], 'h'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const pick = (r: ReturnType<typeof loadKubeConfig>) => (r.ok ? { server: r.server, namespace: r.namespace } : r.problem);

  it('--kubeconfig wins over KUBECONFIG and ~/.kube/config; the context namespace applies', () => {
    assert.deepEqual(pick(loadKubeConfig({ kubeconfig: fromFlag }, { KUBECONFIG: fromEnv, HOME: join(dir, 'home') })), { server: 'https://flag.example:6443', namespace: 'shop' });
  });
  it('KUBECONFIG wins over ~/.kube/config, and missing files in it are skipped', () => {
    assert.deepEqual(pick(loadKubeConfig({}, { KUBECONFIG: `${join(dir, 'nope')}:${fromEnv}`, HOME: join(dir, 'home') })), { server: 'http://127.0.0.1:1', namespace: 'envns' });
  });
  it('falls back to ~/.kube/config and the default namespace', () => {
    assert.deepEqual(pick(loadKubeConfig({}, { HOME: join(dir, 'home') })), { server: 'https://home.example', namespace: 'default' });
  });
  it('-n overrides the context namespace; --context picks another context', () => {
    assert.deepEqual(pick(loadKubeConfig({ kubeconfig: fromFlag, namespace: 'other' }, {})), { server: 'https://flag.example:6443', namespace: 'other' });
    assert.deepEqual(pick(loadKubeConfig({ kubeconfig: fromFlag, context: 'b' }, {})), { server: 'https://flag.example:6443', namespace: 'default' });
  });
  it('never echoes a token in a problem', async () => {
    const bad = join(dir, 'bad');
    await writeFile(bad, 'clusters: [\n  token: s3cr3t-token-value\n');
    const r = loadKubeConfig({ kubeconfig: bad }, {});
    assert.equal(r.ok, false);
    assert.ok(!JSON.stringify(r).includes('s3cr3t'), JSON.stringify(r));
  });
  it('says why it failed as data, so each command can word it', () => {
    const failure = (r: ReturnType<typeof loadKubeConfig>) => (r.ok ? 'loaded' : r.failure);
    const home = join(dir, 'empty-home');
    assert.deepEqual(failure(loadKubeConfig({}, { HOME: home })), { code: 'none', file: join(home, '.kube', 'config') });
    assert.deepEqual(failure(loadKubeConfig({ kubeconfig: join(dir, 'nope') }, {})), { code: 'missing', file: join(dir, 'nope') });
    assert.deepEqual(failure(loadKubeConfig({ kubeconfig: fromFlag, context: 'zz' }, {})), { code: 'no-context', file: fromFlag, context: 'zz' });
  });
  it('the lab form loads a file it wrote and throws an input error for one that is not there', () => {
    assert.equal(kubeConfigOf(fromFlag).getCurrentCluster()?.server, 'https://flag.example:6443');
    assert.throws(() => kubeConfigOf(join(dir, 'nope')), { code: 'input' });
  });
});
