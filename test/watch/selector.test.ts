import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromLabelSelector, matches, parseSelector, pinnedLabels, selectorString } from '../../src/watch/selector.js';

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
  ];
  for (const [sel, labels, want] of cases) {
    it(`"${sel}" ${want ? 'matches' : 'does not match'} ${JSON.stringify(labels)}`, () => {
      assert.equal(matches(parseSelector(sel), labels), want);
    });
  }

  it('prints matchLabels and matchExpressions in the API query form', () => {
    const reqs = fromLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'DoesNotExist' }] });
    assert.equal(selectorString(reqs), 'app=web,env in (a,b),!x');
    assert.deepEqual(parseSelector(selectorString(reqs)), reqs);
  });

  it('knows which labels a selector pins', () => {
    assert.deepEqual(pinnedLabels(parseSelector('app=web,env in (a,b)')), { app: 'web' });
  });
});
