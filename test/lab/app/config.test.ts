import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAppConfig, renderBody, versionOfImage } from '../../../src/lab/app/config.js';

test('the version comes from the image tag, not a registry port or a digest', () => {
  const cases: Array<[string, string]> = [
    ['lab/web:2', '2'],
    ['web:v1.24.0', 'v1.24.0'],
    ['localhost:5000/web:3', '3'],
    ['localhost:5000/web', 'latest'],
    ['web', 'latest'],
    ['web:7@sha256:abc', '7'],
  ];
  for (const [image, version] of cases) assert.equal(versionOfImage(image), version, image);
});

test('VERSION wins over IMAGE, and flags give host and port', () => {
  const config = parseAppConfig({ VERSION: '9', IMAGE: 'lab/web:2', POD_NAME: 'web-1' }, ['--host', '127.0.0.9', '--port=8081']);
  assert.equal(config.version, '9');
  assert.equal(config.host, '127.0.0.9');
  assert.equal(config.port, 8081);
  assert.equal(config.podName, 'web-1');
  assert.equal(config.shutdown, 'graceful');
  assert.equal(parseAppConfig({ IMAGE: 'lab/web:2' }, []).version, '2');
});

test('the body template fills in version and pod', () => {
  assert.equal(renderBody(parseAppConfig({ VERSION: '1' }, [])), 'Version 1 of my awesome app!');
  assert.equal(renderBody(parseAppConfig({ VERSION: '2', POD_NAME: 'p', BODY: '{pod} runs {version}' }, [])), 'p runs 2');
});

test('bad settings are usage errors', () => {
  assert.throws(() => parseAppConfig({ SHUTDOWN: 'sometimes' }, []), /SHUTDOWN must be one of/);
  assert.throws(() => parseAppConfig({ DRAIN_MS: '-1' }, []), /DRAIN_MS/);
  assert.throws(() => parseAppConfig({}, ['--port', 'x']), /--port/);
});
