// OCI image layouts written without Docker or a registry: a rootfs directory becomes one layer
// (a reproducible tar), an image config and manifest, and one index naming every image, packed into
// one tar that `ctr images import`, `skopeo copy oci-archive:` and `podman load` read.
// Shared by the lab's pod images and the zdprobe image (zdprobe image build).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Blob {
  digest: string;
  size: number;
}

export interface ImageSpec {
  /** Full name, e.g. docker.io/library/zdprobe:0.1.0 (containerd's image name annotation). */
  name: string;
  entrypoint: string[];
  cmd?: string[];
  env: string[];
  /** Numeric uid[:gid] the image runs as; absent: root. */
  user?: string;
  workingDir?: string;
  labels?: Record<string, string>;
}

export interface OciLayout {
  dir: string;
  /** Packs a rootfs directory as a layer blob (owned by root, sorted, mtime 0: reproducible). */
  layer(rootfs: string): Blob;
  /** Adds an image of these layers to the index. */
  image(layers: Blob[], spec: ImageSpec): void;
  /** Writes index.json and packs the layout into one tar at `path`. */
  pack(path: string): string;
}

const TAR_FLAGS = ['--numeric-owner', '--owner=0', '--group=0', '--sort=name', '--mtime=@0'];

export function ociLayout(dir: string): OciLayout {
  rmSync(dir, { recursive: true, force: true });
  const layoutDir = join(dir, 'layout');
  mkdirSync(join(layoutDir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(layoutDir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  const manifests: Array<Record<string, unknown>> = [];
  let layers = 0;
  const put = (data: Buffer): Blob => putBlob(layoutDir, data);
  return {
    dir: layoutDir,
    layer(rootfs) {
      const tarPath = join(dir, `layer-${layers++}.tar`);
      execFileSync('tar', [...TAR_FLAGS, '-C', rootfs, '-cf', tarPath, '.']);
      return put(readFileSync(tarPath));
    },
    image: (imageLayers, spec) => void manifests.push(manifestOf(put, imageLayers, spec)),
    pack(path) {
      writeFileSync(join(layoutDir, 'index.json'), JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }));
      execFileSync('tar', [...TAR_FLAGS, '-C', layoutDir, '-cf', path, '.']);
      return path;
    },
  };
}

function putBlob(layoutDir: string, data: Buffer): Blob {
  const hex = createHash('sha256').update(data).digest('hex');
  writeFileSync(join(layoutDir, 'blobs', 'sha256', hex), data);
  return { digest: `sha256:${hex}`, size: data.length };
}

function manifestOf(put: (data: Buffer) => Blob, layers: Blob[], spec: ImageSpec): Record<string, unknown> {
  const config = put(Buffer.from(JSON.stringify({
    architecture: process.arch === 'x64' ? 'amd64' : process.arch,
    os: 'linux',
    config: {
      Entrypoint: spec.entrypoint,
      ...(spec.cmd ? { Cmd: spec.cmd } : {}),
      Env: spec.env,
      WorkingDir: spec.workingDir ?? '/',
      ...(spec.user ? { User: spec.user } : {}),
      ...(spec.labels ? { Labels: spec.labels } : {}),
    },
    // uncompressed layers: the diff id is the layer's own digest
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
  })));
  const manifest = put(Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...l })),
  })));
  const tag = spec.name.slice(spec.name.lastIndexOf(':') + 1);
  return {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    ...manifest,
    annotations: { 'io.containerd.image.name': spec.name, 'org.opencontainers.image.ref.name': tag },
  };
}

/** Copies a file into the rootfs at the same absolute path (or at `as`), following symlinks. */
export function place(rootfs: string, from: string, as = from): void {
  const to = join(rootfs, as);
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(realpathSync(from), to);
}

/** The shared libraries an ELF binary links (ldd), and its interpreter. */
export function linkedLibraries(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  return out.split('\n').flatMap((line) => {
    const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    return m ? [m[1]!] : [];
  });
}

/** A binary at /bin/<name> with every library it links, at their own paths. */
export function placeBinary(rootfs: string, binary: string, as = join('/bin', binary.split('/').pop()!)): void {
  place(rootfs, binary, as);
  for (const lib of linkedLibraries(binary)) place(rootfs, lib);
}

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
