import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseReader, ParseError, parseHead } from '../../src/send/h1-parse.js';
import type { Headers } from '../../src/send/result.js';

interface Read { status?: number; headers?: Headers; body: string; ended: boolean; reusable: boolean }

/** Feeds `bytes` split at every `step` bytes; returns what the reader gave. */
function read(bytes: string, step = Infinity, headRequest = false): Read {
  const out: Read = { body: '', ended: false, reusable: false };
  const reader = new ResponseReader({
    head: (h) => ((out.status = h.status), (out.headers = h.headers)),
    body: (c) => (out.body += c.toString('latin1')),
    end: () => (out.ended = true),
  }, headRequest);
  const buf = Buffer.from(bytes, 'latin1');
  for (let at = 0; at < buf.length; at += Math.min(step, buf.length)) reader.feed(buf.subarray(at, at + step));
  out.reusable = reader.reusable;
  return out;
}

for (const step of [Infinity, 1, 7]) {
  test(`Content-Length framing, fed ${step === Infinity ? 'whole' : `${step} byte(s) at a time`}`, () => {
    const r = read('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-App-Version: 2\r\n\r\nhello', step);
    assert.deepEqual(r, { status: 200, headers: { 'content-length': '5', 'x-app-version': '2' }, body: 'hello', ended: true, reusable: true });
  });

  test(`chunked framing with extensions and trailers, fed ${step === Infinity ? 'whole' : `${step} byte(s) at a time`}`, () => {
    const r = read('HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nVers\r\nA\r\nion 2 now!\r\n0\r\nX-Trailer: t\r\n\r\n', step);
    assert.equal(r.status, 503);
    assert.equal(r.body, 'Version 2 now!');
    assert.equal(r.ended, true);
    assert.equal(r.reusable, true);
  });
}

test('1xx responses are skipped; the final response is the one reported', () => {
  const r = read('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok');
  assert.equal(r.status, 201);
  assert.equal(r.body, 'ok');
});

test('204, 304 and a HEAD response have no body even with a Content-Length', () => {
  assert.deepEqual([read('HTTP/1.1 204 No Content\r\n\r\n').ended, read('HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n').ended], [true, true]);
  const head = read('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n', Infinity, true);
  assert.equal(head.ended, true);
  assert.equal(head.reusable, true);
});

test('without Content-Length or chunked the body runs until close, and the connection is not reused', () => {
  const out: string[] = [];
  let ended = false;
  const reader = new ResponseReader({ head: () => undefined, body: (c) => out.push(c.toString()), end: () => (ended = true) });
  reader.feed(Buffer.from('HTTP/1.0 200 OK\r\n\r\nall of '));
  reader.feed(Buffer.from('it'));
  assert.equal(ended, false);
  assert.equal(reader.endsAtClose, true);
  reader.closed();
  assert.equal(ended, true);
  assert.equal(out.join(''), 'all of it');
  assert.equal(reader.reusable, false);
});

test('Connection: close, HTTP/1.0 without keep-alive, and bytes after the response make the connection not reusable', () => {
  assert.equal(read('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n').reusable, false);
  assert.equal(read('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n').reusable, false);
  assert.equal(read('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n').reusable, true);
  assert.equal(read('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxEXTRA').reusable, false);
});

test('repeated header fields become arrays, names lower-case, and the Keep-Alive timeout is read', () => {
  const head = parseHead('HTTP/1.1 200 OK\r\nSet-Cookie: a\r\nset-cookie: b\r\nKeep-Alive: timeout=5, max=100');
  assert.deepEqual(head.headers['set-cookie'], ['a', 'b']);
  assert.equal(head.keepAliveMs, 5000);
});

test('malformed responses are parse errors, never a made-up status', () => {
  assert.throws(() => read('HTTP/2 200\r\n\r\n'), ParseError);
  assert.throws(() => read('HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\nhello'), /invalid content-length/);
  assert.throws(() => read('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'), /invalid chunk size/);
  assert.throws(() => read('HTTP/1.1 200 OK\r\nno colon here\r\n\r\n'), /invalid header line/);
  assert.throws(() => read(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(70_000)}`), /larger than/);
});
