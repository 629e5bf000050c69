import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as undici from 'undici';
import { Client } from '../../src/send/undici-client.js';

test('the Client loaded alone is the very class undici exports', () => {
  assert.equal(Client, undici.Client);
});
