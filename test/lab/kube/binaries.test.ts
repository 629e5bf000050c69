import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ZdError } from '../../../src/errors.js';
import { defaultBinDir, KUBE_VERSION, NOT_BUILT_MESSAGE } from '../../../src/lab/kube/binaries.js';
import { startKubeControlPlane } from '../../../src/lab/kube/control-plane.js';

// dist/test/lab/kube/ -> repository root
const repoFile = (path: string): URL => new URL(`../../../../${path}`, import.meta.url);

describe('kube control plane binaries', () => {
  it('uses the Kubernetes version pinned in test/kube/kube/go.mod', () => {
    const goMod = readFileSync(repoFile('test/kube/kube/go.mod'), 'utf8');
    const pinned = /^\s*(?:require\s+)?k8s\.io\/kubernetes (v[\d.]+)/m.exec(goMod)?.[1];
    assert.equal(pinned, KUBE_VERSION);
  });

  it('looks in ZDPROBE_CACHE, else ~/.cache/zdprobe, keyed by version', () => {
    assert.equal(defaultBinDir({ ZDPROBE_CACHE: '/c' }), `/c/kube/${KUBE_VERSION}/bin`);
    assert.equal(defaultBinDir({ HOME: '/h' }), `/h/.cache/zdprobe/kube/${KUBE_VERSION}/bin`);
  });

  it('refuses to start with the build hint when the binaries are missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zdprobe-nobin-'));
    try {
      await assert.rejects(startKubeControlPlane({ dir, binDir: join(dir, 'empty') }), (err: unknown) => {
        assert.ok(err instanceof ZdError);
        assert.equal(err.code, 'unreachable');
        assert.equal(err.message, NOT_BUILT_MESSAGE);
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
