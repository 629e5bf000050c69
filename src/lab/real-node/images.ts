// Pod images built locally, without Docker or a registry: an OCI-layout tar whose one layer holds the
// lab app (the same compiled Node app the stand-in runs, with the Node binary and the libraries it
// links) or the static pause, imported into containerd with ctr. One index names every tag.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { versionOfImage } from '../app/config.js';

/** The sandbox image containerd's CRI plugin is pointed at (sandbox_image). */
export const PAUSE_IMAGE = 'zdprobe.local/pause:1';
/** Where the compiled app lives in the image; main.js imports ../../errors.js, so the tree is kept. */
const APP_ROOT = '/app';
const DIST = fileURLToPath(new URL('../../../', import.meta.url)); // dist/src/ -> dist/

/** `lab/web:1` -> `docker.io/lab/web:1`, `nginx` -> `docker.io/library/nginx:latest`, as the CRI names them. */
export function normalizeImage(ref: string): string {
  const noDigest = ref.split('@')[0] ?? ref;
  const slash = noDigest.indexOf('/');
  const first = slash < 0 ? '' : noDigest.slice(0, slash);
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let name = hasRegistry ? noDigest : slash < 0 ? `docker.io/library/${noDigest}` : `docker.io/${noDigest}`;
  if (name.lastIndexOf(':') <= name.lastIndexOf('/')) name += ':latest';
  return name;
}

interface Blob {
  digest: string;
  size: number;
}

function putBlob(layoutDir: string, data: Buffer): Blob {
  const hex = createHash('sha256').update(data).digest('hex');
  writeFileSync(join(layoutDir, 'blobs', 'sha256', hex), data);
  return { digest: `sha256:${hex}`, size: data.length };
}

/** Copies a file into the rootfs at the same absolute path (or at `as`), following symlinks. */
function place(rootfs: string, from: string, as = from): void {
  const to = join(rootfs, as);
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(realpathSync(from), to);
}

/** The shared libraries an ELF binary links (ldd), and its interpreter. */
function linkedLibraries(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  return out.split('\n').flatMap((line) => {
    const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    return m ? [m[1]!] : [];
  });
}

/** The lab app's rootfs: /bin/node, /bin/sleep (for preStop exec hooks), their libraries, /app. */
function appRootfs(rootfs: string): void {
  for (const bin of [process.execPath, '/bin/sleep']) {
    place(rootfs, bin, join('/bin', bin.split('/').pop()!));
    for (const lib of linkedLibraries(bin)) place(rootfs, lib);
  }
  for (const f of ['src/errors.js', 'src/lab/app/main.js', 'src/lab/app/config.js', 'src/lab/app/server.js', 'src/lab/app/faults.js']) {
    place(rootfs, join(DIST, f), join(APP_ROOT, 'dist', f));
  }
  writeFileSync(join(rootfs, APP_ROOT, 'package.json'), '{ "type": "module" }\n');
  mkdirSync(join(rootfs, 'tmp'), { recursive: true });
}

function layerOf(dir: string, rootfs: string, layoutDir: string): Blob {
  mkdirSync(dir, { recursive: true });
  const tarPath = join(dir, 'layer.tar');
  execFileSync('tar', ['--numeric-owner', '--owner=0', '--group=0', '--sort=name', '--mtime=@0', '-C', rootfs, '-cf', tarPath, '.']);
  return putBlob(layoutDir, readFileSync(tarPath));
}

interface ImageSpec {
  name: string;
  entrypoint: string[];
  env: string[];
}

function manifestOf(layoutDir: string, layer: Blob, spec: ImageSpec): Record<string, unknown> {
  const config = putBlob(layoutDir, Buffer.from(JSON.stringify({
    architecture: process.arch === 'x64' ? 'amd64' : process.arch,
    os: 'linux',
    config: { Entrypoint: spec.entrypoint, Env: spec.env, WorkingDir: '/' },
    rootfs: { type: 'layers', diff_ids: [layer.digest] },
  })));
  const manifest = putBlob(layoutDir, Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer }],
  })));
  const tag = spec.name.slice(spec.name.lastIndexOf(':') + 1);
  return {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    ...manifest,
    annotations: { 'io.containerd.image.name': spec.name, 'org.opencontainers.image.ref.name': tag },
  };
}

/**
 * Writes one OCI-layout tar holding the pause image and one lab-app image per requested name
 * (all sharing one layer; each has VERSION from its tag, as the stand-in kubelet derives it).
 */
export function buildImageTar(dir: string, pauseBinary: string, appImages: string[]): string {
  rmSync(dir, { recursive: true, force: true });
  const layoutDir = join(dir, 'layout');
  mkdirSync(join(layoutDir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(layoutDir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  const pauseRoot = join(dir, 'pause-rootfs');
  place(pauseRoot, pauseBinary, '/pause');
  const pauseLayer = layerOf(join(dir, 'pause'), pauseRoot, layoutDir);
  const appRoot = join(dir, 'app-rootfs');
  appRootfs(appRoot);
  const appLayer = layerOf(join(dir, 'app'), appRoot, layoutDir);
  const path = 'PATH=/bin';
  const manifests = [
    manifestOf(layoutDir, pauseLayer, { name: PAUSE_IMAGE, entrypoint: ['/pause'], env: [path] }),
    ...[...new Set(appImages.map(normalizeImage))].map((name) => manifestOf(layoutDir, appLayer, {
      name,
      entrypoint: ['/bin/node', `${APP_ROOT}/dist/src/lab/app/main.js`, '--host', '0.0.0.0'],
      env: [path, `VERSION=${versionOfImage(name)}`],
    })),
  ];
  writeFileSync(join(layoutDir, 'index.json'), JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }));
  const tar = join(dir, 'images.tar');
  execFileSync('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', layoutDir, '-cf', tar, '.']);
  return tar;
}

export const imageTarSize = (tar: string): number => statSync(tar).size;
