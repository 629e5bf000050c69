import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from 'undici';
import { createClientPool } from '../../src/send/client-pool.js';

test('at most maxConnecting connections open at once; a waiting request gets the next released one', async () => {
  const pool = createClientPool('http://127.0.0.1:9', {}, 2);
  const got: Client[] = [];
  for (let i = 0; i < 3; i++) pool.acquire((c) => got.push(c));
  assert.equal(got.length, 2, 'the third request waits instead of opening a third connection');
  assert.equal(pool.size(), 2);
  pool.release(got[0]!);
  assert.equal(got.length, 3);
  assert.equal(got[2], got[0], 'the released connection carries the waiting request');
  await pool.close();
});

test('an idle connection is reused before a new one is opened', async () => {
  const pool = createClientPool('http://127.0.0.1:9', {}, 2);
  let first: Client | undefined;
  pool.acquire((c) => (first = c));
  pool.started(first!);
  pool.release(first!);
  let second: Client | undefined;
  pool.acquire((c) => (second = c));
  assert.equal(second, first);
  assert.equal(pool.size(), 1);
  await pool.close();
});

test('a discarded connection is closed, never handed out again, and a waiting request gets a fresh one', async () => {
  const pool = createClientPool('http://127.0.0.1:9', {}, 1);
  const got: Client[] = [];
  pool.acquire((c) => got.push(c));
  pool.acquire((c) => got.push(c));
  assert.equal(got.length, 1, 'the second request waits');
  pool.discard(got[0]!);
  assert.equal(got.length, 2);
  assert.notEqual(got[1], got[0], 'the waiting request got a new connection');
  assert.equal(got[0]!.destroyed, true);
  assert.equal(pool.size(), 1);
  pool.release(got[1]!);
  let next: Client | undefined;
  pool.acquire((c) => (next = c));
  assert.equal(next, got[1], 'only the released connection is reused');
  await pool.close();
});
