// A certificate that does not match is a TLS error on every request and every connection mode,
// never a timeout, and the report says what to do about it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';
import { answer, startServer, tlsCert } from '../helpers/servers.js';

const mismatches: Array<[string, 'ip-only' | 'shop-example', string[]]> = [
  ['an IP URL against a certificate that names only a DNS name (--ca)', 'shop-example', []],
  ['a Host the IP-only certificate does not name (--ca)', 'ip-only', ['-H', 'Host: wrong.example']],
  ['a wrong Host against a certificate that names another (--ca)', 'shop-example', ['-H', 'Host: wrong.example']],
];
for (const [name, certName, extra] of mismatches) {
  for (const connection of ['reuse', 'new']) {
    test(`${name}, ${connection} connections: every request is classed tls, and the report says --ca, -k or the right Host`, async () => {
      const cert = tlsCert(certName);
      const srv = await startServer((_n, _req, res) => answer(res, 200, '1'), '127.0.0.1', { key: cert.key, cert: cert.cert });
      try {
        const r = await runCli(['probe', srv.url, '--ca', cert.caFile, ...extra, '--rps', '10', '-d', '2s', '--timeout', '500ms', '--connection', connection, '--format', 'md']);
        assert.equal(r.code, 3, r.stderr);
        assert.match(r.stderr, /the target never answered \(20× tls\)/);
        assert.match(r.stdout, /\| `tls` \| 20 \| `Hostname\/IP does not match certificate's altnames/);
        assert.match(r.stdout, /trust its CA with --ca FILE, skip the check with -k, or send the Host the certificate names with -H 'Host: NAME'/);
        assert.equal(srv.did['200'], undefined, 'no request got through');
      } finally {
        await srv.close();
      }
    });
  }
}

test('the right Host with --ca passes: the failure above is the certificate, not the server', async () => {
  const cert = tlsCert('shop-example');
  const srv = await startServer((_n, _req, res) => answer(res, 200, '1'), '127.0.0.1', { key: cert.key, cert: cert.cert });
  try {
    const r = await runCli(['probe', srv.url, '--ca', cert.caFile, '-H', 'Host: shop.example', '--rps', '10', '-d', '1s']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(srv.did['200'], 10);
  } finally {
    await srv.close();
  }
});
