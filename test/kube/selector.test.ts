import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  fromLabelSelector, labelSelectorMatches, matches, parseSelector, pinnedLabels, selectorString, serviceSelects,
} from '../../src/kube/selector.js';

describe('label selectors', () => {
  const cases: Array<[string, Record<string, string>, boolean]> = [
    ['app=web', { app: 'web', version: 'v1' }, true],
    ['app=web', { app: 'api' }, false],
    ['app==web,version!=v1', { app: 'web', version: 'v2' }, true],
    ['app=web,version!=v1', { app: 'web', version: 'v1' }, false],
    ['env in (prod, staging),!legacy', { env: 'staging' }, true],
    ['env in (prod, staging),!legacy', { env: 'staging', legacy: 'y' }, false],
    ['tier notin (db)', {}, true],
    ['tier', { tier: 'x' }, true],
    ['tier', {}, false],
    ['replicas>2', { replicas: '3' }, true],
    ['replicas<2', { replicas: '3' }, false],
  ];
  for (const [sel, labels, want] of cases) {
    it(`"${sel}" ${want ? 'matches' : 'does not match'} ${JSON.stringify(labels)}`, () => {
      assert.equal(matches(parseSelector(sel), labels), want);
    });
  }

  const labels = { app: 'web', version: 'v2', tier: 'front' };
  const apiCases: Array<[string, boolean]> = [
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app=web,version=v1', false],
    ['version in (v1,v2)', true],
    ['version in (v1, v3)', false],
    ['version notin (v1,v3)', true],
    ['missing notin (x)', true],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['app,version in (v2),!canary', true],
  ];
  for (const [sel, want] of apiCases) {
    it(`"${sel}" ${want ? 'matches' : 'does not match'} ${JSON.stringify(labels)}`, () => {
      assert.equal(matches(parseSelector(sel), labels), want);
    });
  }

  it('a malformed requirement is an input error naming it', () => {
    assert.throws(() => parseSelector('app in (x'), { code: 'input', message: 'unable to parse requirement: app in (x' });
  });

  it('prints matchLabels and matchExpressions in the API query form', () => {
    const reqs = fromLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'DoesNotExist' }] });
    assert.equal(selectorString(reqs), 'app=web,env in (a,b),!x');
    assert.deepEqual(parseSelector(selectorString(reqs)), reqs);
  });

  it('knows which labels a selector pins', () => {
    assert.deepEqual(pinnedLabels(parseSelector('app=web,env in (a,b)')), { app: 'web' });
  });

  it('a LabelSelector object: empty matches everything, an unknown operator matches nothing', () => {
    assert.equal(labelSelectorMatches({}, { app: 'web' }), true);
    assert.equal(labelSelectorMatches(undefined, {}), true);
    assert.equal(labelSelectorMatches({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, { app: 'web' }), false);
    assert.equal(labelSelectorMatches({ matchExpressions: [{ key: 'app', operator: 'Bogus', values: ['web'] }] }, { app: 'web' }), false);
  });

  it('a Service selector with no keys selects nothing', () => {
    assert.equal(serviceSelects({}, { app: 'web' }), false);
    assert.equal(serviceSelects(undefined, { app: 'web' }), false);
    assert.equal(serviceSelects({ app: 'web' }, { app: 'web', version: 'v1' }), true);
    assert.equal(serviceSelects({ app: 'web', version: 'v2' }, { app: 'web', version: 'v1' }), false);
  });
});
