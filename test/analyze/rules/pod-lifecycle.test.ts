import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules } from '../../../src/analyze/rules/index.js';
import {
  deployGraceTooShort, deployNoPrestop, deployNoReadiness, preStopSleepSeconds,
} from '../../../src/analyze/rules/pod-lifecycle.js';
import type { KubeObject, SourcedObject } from '../../../src/types.js';

const exec = (command: string[]): object => ({ lifecycle: { preStop: { exec: { command } } } });

const sleepCases: Array<[string, object, number | undefined]> = [
  ['exec sleep N', exec(['sleep', '5']), 5],
  ['a shell running sleep', exec(['/bin/sh', '-c', 'sleep 5']), 5],
  ['a shell sleeping, then stopping nginx', exec(['sh', '-c', 'sleep 15 && nginx -s quit']), 15],
  ['/bin/sleep with a unit', exec(['/bin/sleep', '1m']), 60],
  ['two sleeps add up', exec(['sh', '-c', 'sleep 2; kill -QUIT 1; sleep 3']), 5],
  ['the sleep action', { lifecycle: { preStop: { sleep: { seconds: 7 } } } }, 7],
  ['an httpGet hook has no known sleep', { lifecycle: { preStop: { httpGet: { path: '/drain', port: 80 } } } }, undefined],
  ['a command that only mentions sleeping', exec(['sh', '-c', 'echo nosleep 5']), undefined],
  ['no hook at all', {}, undefined],
];

for (const [name, container, seconds] of sleepCases) {
  test(`preStop sleep: ${name}`, () => assert.equal(preStopSleepSeconds(container), seconds));
}

const deploy = (container: object, pod: object = {}): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'n' },
  spec: { template: { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { ...pod, containers: [{ name: 'web', ...container }] } } },
});
const svc = (selector: Record<string, string>, ns = 'n'): KubeObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: ns }, spec: { selector },
});
const src = (...objs: KubeObject[]): SourcedObject[] => objs.map((obj) => ({ obj }));

const servedCases: Array<[string, SourcedObject[], string[]]> = [
  ['a served workload gets the full severity', src(deploy({}), svc({ app: 'web' })), ['error']],
  ['a selector on several labels still serves it', src(deploy({}), svc({ app: 'web', tier: 'fe' })), ['error']],
  ['no Service in the input: one level lower', src(deploy({})), ['warning']],
  ['Services exist but none selects it: not served, nothing', src(deploy({}), svc({ app: 'worker' })), []],
  ['a Service in another namespace does not serve it', src(deploy({}), svc({ app: 'web' }, 'm')), []],
  ['an empty selector selects nothing', src(deploy({}), svc({})), []],
  ['a readinessProbe on one container is enough', src(deploy({ readinessProbe: { tcpSocket: { port: 80 } } }), svc({ app: 'web' })), []],
];

for (const [name, objs, expected] of servedCases) {
  test(`deploy-no-readiness: ${name}`, () => {
    assert.deepEqual(runRules(objs, [deployNoReadiness]).map((f) => f.severity), expected);
  });
}

test('deploy-no-readiness also reads StatefulSets, DaemonSets, CloneSets and Argo Rollouts', () => {
  const kinds: Array<[string, string]> = [['StatefulSet', 'apps/v1'], ['DaemonSet', 'apps/v1'], ['CloneSet', 'apps.kruise.io/v1alpha1'], ['Rollout', 'argoproj.io/v1alpha1']];
  for (const [kind, apiVersion] of kinds) {
    const found = runRules(src({ ...deploy({}), kind, apiVersion }, svc({ app: 'web' })), [deployNoReadiness]);
    assert.equal(found.length, 1, kind);
  }
  const kruise = runRules(src({ ...deploy({}), kind: 'Rollout', apiVersion: 'rollouts.kruise.io/v1beta1' }, svc({ app: 'web' })), [deployNoReadiness]);
  assert.equal(kruise.length, 0, 'a Kruise Rollout is not a workload');
});

test('deploy-no-prestop: a served workload without a preStop hook is a warning, with one it is fine', () => {
  assert.deepEqual(runRules(src(deploy({}), svc({ app: 'web' })), [deployNoPrestop]).map((f) => f.severity), ['warning']);
  assert.deepEqual(runRules(src(deploy({}) ), [deployNoPrestop]).map((f) => f.severity), ['info']);
  assert.deepEqual(runRules(src(deploy(exec(['sleep', '5'])), svc({ app: 'web' })), [deployNoPrestop]), []);
});

const graceCases: Array<[string, object, object, boolean]> = [
  ['sleep 5 within the default 30 s is fine', exec(['sleep', '5']), {}, false],
  ['sleep 30 with the default 30 s is too short', exec(['sleep', '30']), {}, true],
  ['sleep 29 with the default 30 s is fine', exec(['sleep', '29']), {}, false],
  ['sleep 10 with grace 10 is too short', exec(['sleep', '10']), { terminationGracePeriodSeconds: 10 }, true],
  ['sleep action 20 with grace 15 is too short', { lifecycle: { preStop: { sleep: { seconds: 20 } } } }, { terminationGracePeriodSeconds: 15 }, true],
  ['sleep 40 with grace 60 is fine', exec(['sleep', '40']), { terminationGracePeriodSeconds: 60 }, false],
  ['no preStop: nothing to compare', {}, { terminationGracePeriodSeconds: 1 }, false],
];

for (const [name, container, pod, flagged] of graceCases) {
  test(`deploy-grace-too-short: ${name}`, () => {
    const found = runRules(src(deploy(container, pod), svc({ app: 'web' })), [deployGraceTooShort]);
    assert.deepEqual(found.map((f) => f.severity), flagged ? ['error'] : []);
  });
}
