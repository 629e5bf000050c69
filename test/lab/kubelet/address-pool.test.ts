import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAddressPool } from '../../../src/lab/kubelet/address-pool.js';

test('addresses start at .2 and freed ones are reused only after fresh ones run out', () => {
  const pool = createAddressPool('127.9.9.', 2, 4);
  assert.equal(pool.take(), '127.9.9.2');
  assert.equal(pool.take(), '127.9.9.3');
  pool.release('127.9.9.2');
  assert.equal(pool.take(), '127.9.9.4');
  assert.equal(pool.take(), '127.9.9.2');
  assert.throws(() => pool.take(), /no free pod address/);
});

test('releasing an address twice or one never taken does not duplicate it', () => {
  const pool = createAddressPool('127.9.9.', 2, 2);
  const a = pool.take();
  pool.release(a);
  pool.release(a);
  pool.release('127.9.9.77');
  assert.equal(pool.take(), a);
  assert.throws(() => pool.take());
});
