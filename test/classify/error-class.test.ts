import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyError } from '../../src/classify/error-class.js';

const err = (code: string, message = 'x', extra: object = {}) => Object.assign(new Error(message), { code }, extra);

const cases: Array<[string, unknown, string]> = [
  ['refused', err('ECONNREFUSED'), 'refused'],
  ['reset', err('ECONNRESET'), 'reset'],
  ['undici socket closed', err('UND_ERR_SOCKET', 'other side closed'), 'reset'],
  ['our own deadline', err('ZD_TIMEOUT'), 'timeout'],
  ['connect timeout', err('UND_ERR_CONNECT_TIMEOUT'), 'timeout'],
  ['dns', err('ENOTFOUND'), 'dns'],
  ['tls self-signed', err('DEPTH_ZERO_SELF_SIGNED_CERT'), 'tls'],
  ['tls altname', err('ERR_TLS_CERT_ALTNAME_INVALID'), 'tls'],
  ['wrapped cause', Object.assign(new Error('fetch failed'), { cause: err('ECONNRESET') }), 'reset'],
  ['node:http2 stream refused', err('ERR_HTTP2_STREAM_ERROR', 'Stream closed with error code NGHTTP2_REFUSED_STREAM'), 'refused-stream'],
  ['node:http2 stream reset', err('ERR_HTTP2_STREAM_ERROR', 'Stream closed with error code NGHTTP2_INTERNAL_ERROR'), 'stream-reset'],
  ['node:http2 session ended by GOAWAY with an error code', err('ERR_HTTP2_SESSION_ERROR', 'Session closed with error code 2'), 'goaway'],
  ['undici h2 GOAWAY (its code says socket)', err('UND_ERR_SOCKET', 'HTTP/2: "GOAWAY" frame received with code 0'), 'goaway'],
  ['undici h2 stream closed early', err('UND_ERR_INFO', 'HTTP/2: stream closed before the response was complete'), 'stream-reset'],
  ['a pending stream cancelled because the connection was refused', Object.assign(err('ERR_HTTP2_STREAM_CANCEL', 'The pending stream has been canceled'), { cause: err('ECONNREFUSED') }), 'refused'],
  ['unknown', err('EWHATEVER', 'strange'), 'other'],
];
for (const [name, e, want] of cases) test(`error class: ${name}`, () => assert.equal(classifyError(e).error, want));

test('an unknown error keeps its code and message', () => {
  assert.equal(classifyError(err('EWHATEVER', 'strange')).message, 'EWHATEVER: strange');
});

test('the remote address comes from the socket or the address field', () => {
  assert.equal(classifyError(err('ECONNREFUSED', 'x', { address: '127.0.0.9', port: 81 })).remote, '127.0.0.9:81');
  assert.equal(classifyError(err('UND_ERR_SOCKET', 'x', { socket: { remoteAddress: '10.0.0.1', remotePort: 80 } })).remote, '10.0.0.1:80');
});
