import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTagger, parseSource } from '../../src/classify/tagger.js';

const auto = makeTagger({ kind: 'auto' });
const cases: Array<[string, Record<string, string>, string, string | undefined]> = [
  ['pattern 5 body', {}, 'Version 2 of my awesome app!', '2'],
  ['nginx blue/green page', {}, '<h1>Welcome to nginx v1.24.0 (green)</h1>', '1.24.0'],
  ['istio helloworld', {}, 'Hello version: v1, instance: helloworld-v1-6f4b5c', '1'],
  ['x-app-version header wins', { 'x-app-version': '3' }, 'Version 2 of my awesome app!', '3'],
  ['x-version header', { 'x-version': 'v9' }, '', 'v9'],
  ['nothing to tag', {}, 'hello', undefined],
];
for (const [name, headers, body, want] of cases) {
  test(`auto tagging: ${name}`, () => assert.equal(auto.tag(headers, body), want));
}

test('auto tagging skips the body when a version header is present', () => {
  assert.equal(auto.wantsBody({ 'x-app-version': '1' }), false);
  assert.equal(auto.wantsBody({}), true);
});

test('explicit sources: body regex group, header, json path', () => {
  assert.equal(makeTagger(parseSource('body:build-(\\w+)', 'f')).tag({}, 'build-abc ok'), 'abc');
  assert.equal(makeTagger(parseSource('header:X-Pod', 'f')).tag({ 'x-pod': 'web-1' }, ''), 'web-1');
  assert.equal(makeTagger(parseSource('json:meta.version', 'f')).tag({}, '{"meta":{"version":"2.1"}}'), '2.1');
  assert.equal(makeTagger(parseSource('json:meta.version', 'f')).tag({}, 'not json'), undefined);
});

test('bad sources are usage errors that say how to write them', () => {
  assert.throws(() => parseSource('body:(', '--version-from'), { code: 'usage', message: /bad regex/ });
  assert.throws(() => parseSource('cookie:x', '--version-from'), { code: 'usage', message: /body:<regex>, header:<name> or json:<path>/ });
});
