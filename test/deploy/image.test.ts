// zdprobe image build: an OCI archive whose config runs zdprobe as uid 65532, whose one layer holds
// Node, dist/src, bin and the production node_modules only, and which runs from its own files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import { runCli } from '../helpers/cli.js';
import { startServer, statuses } from '../helpers/servers.js';

const run = promisify(execFile);

const tmp = mkdtempSync(join(tmpdir(), 'zdprobe-image-test-'));
const blob = (dir: string, digest: string): string => join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
const json = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

test('the image runs zdprobe as 65532 from Node, dist, bin and production modules only', { timeout: 300_000 }, async (t) => {
  const tar = join(tmp, 'zdprobe.oci.tar');
  const r = await runCli(['image', 'build', '--out', tar, '--name', 'zdprobe:test'], { timeoutMs: 240_000 });
  assert.equal(r.code, 0, r.stderr);
  const layout = join(tmp, 'layout');
  mkdirSync(layout);
  execFileSync('tar', ['-xf', tar, '-C', layout]);
  const index = json<{ manifests: Array<{ digest: string; annotations: Record<string, string> }> }>(join(layout, 'index.json'));
  assert.equal(index.manifests.length, 1);
  assert.equal(index.manifests[0]!.annotations['io.containerd.image.name'], 'docker.io/library/zdprobe:test');
  const manifest = json<{ config: { digest: string }; layers: Array<{ digest: string }> }>(blob(layout, index.manifests[0]!.digest));
  const config = json<{ config: { User: string; Entrypoint: string[]; WorkingDir: string }; rootfs: { diff_ids: string[] } }>(blob(layout, manifest.config.digest));
  assert.equal(config.config.User, '65532:65532');
  assert.deepEqual(config.config.Entrypoint, ['/bin/node', '/app/bin/zdprobe.js']);
  assert.deepEqual(config.rootfs.diff_ids, manifest.layers.map((l) => l.digest));

  const files = new Set(execFileSync('tar', ['-tf', blob(layout, manifest.layers[0]!.digest)], { encoding: 'utf8', maxBuffer: 64 << 20 }).split('\n').map((f) => f.replace(/^\.\//, '/')));
  for (const f of ['/bin/node', '/app/bin/zdprobe.js', '/app/dist/src/cli/main.js', '/app/deploy/rbac.yaml', '/app/node_modules/prom-client/package.json', '/app/node_modules/undici/package.json', '/tmp/']) {
    assert.ok(files.has(f), `${f} is in the image`);
  }
  const stray = [...files].filter((f) => /\/node_modules\/(typescript|@types\/node)\/|\/dist\/test\/|\.map$|^\/app\/src\//.test(f));
  assert.deepEqual(stray.slice(0, 5), [], 'no dev dependency, test, source map or TypeScript source');

  if (process.getuid?.() !== 0) return t.skip('running the image from its own files needs root (chroot, mount)');
  // root-owned files, mounted read-only, entered as 65532: the image probes from its own files and writes none
  const rootfs = join(tmp, 'rootfs');
  mkdirSync(rootfs);
  execFileSync('tar', ['--same-owner', '-xf', blob(layout, manifest.layers[0]!.digest), '-C', rootfs]);
  const srv = await startServer(statuses([200]));
  try {
    const inImage = [...config.config.Entrypoint, 'probe', srv.url, '--rps', '10', '-d', '1s', '--format', 'json'].join(' ');
    const script = `mount --bind ${rootfs} ${rootfs} && mount -o remount,bind,ro ${rootfs} && exec /usr/sbin/chroot --userspec=65532:65532 ${rootfs} ${inImage}`;
    const { stdout } = await run('/usr/bin/unshare', ['--mount', '/bin/sh', '-c', script], { env: { PATH: '/bin' } });
    const s = JSON.parse(stdout) as { totals: { scheduled: number }; status: Record<string, number> };
    assert.equal(s.totals.scheduled, 10);
    assert.deepEqual(s.status, srv.did, 'zdprobe ran inside the read-only image and counted what the server did');
  } finally {
    await srv.close();
  }
  rmSync(tmp, { recursive: true, force: true });
});
