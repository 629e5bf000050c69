// The zdprobe image, built without Docker: one layer with the Node binary (and the libraries it
// links), dist/src, bin and the production node_modules; runs as uid 65532 and writes nothing, so
// it works with readOnlyRootFilesystem. The Containerfile at the repo root describes the same image.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeImage, ociLayout, placeBinary } from '../kube/oci-image.js';
import { TOOL_VERSION } from '../version.js';

export const IMAGE_USER = '65532:65532';
export const DEFAULT_IMAGE = `zdprobe:${TOOL_VERSION}`;
const ROOT = fileURLToPath(new URL('../../../', import.meta.url)); // dist/src/deploy/ -> the package
const APP = '/app';
/** Files no running program reads: source maps, type declarations, docs. */
const UNUSED = /(\.map|\.d\.ts|\.d\.mts|\.d\.cts|\.md)$/;

export interface ImageBuild {
  /** Work directory (emptied first). */
  dir: string;
  /** Where the OCI archive goes. */
  out: string;
  name?: string;
  /** The Node binary to ship (default: the one running; it must be a linux build for the target arch). */
  node?: string;
}

/** Directories of the production dependencies, as npm resolves them (no dev dependencies). */
function productionModules(): string[] {
  const out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8' });
  // @types packages some libraries list as dependencies hold only type declarations
  return out.split('\n').filter((p) => p.includes('/node_modules/') && !p.includes('/node_modules/@types/'));
}

function rootfsOf(rootfs: string, node: string): void {
  placeBinary(rootfs, node, '/bin/node');
  const app = join(rootfs, APP);
  cpSync(join(ROOT, 'dist', 'src'), join(app, 'dist', 'src'), { recursive: true, filter: (f) => !f.endsWith('.map') });
  cpSync(join(ROOT, 'bin'), join(app, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'deploy'), join(app, 'deploy'), { recursive: true }); // zdprobe job reads rbac.yaml
  cpSync(join(ROOT, 'package.json'), join(app, 'package.json'));
  for (const dir of productionModules()) {
    // nested node_modules are listed on their own: only what is listed is copied
    cpSync(dir, join(app, relative(ROOT, dir)), { recursive: true, filter: (f) => f === dir || (!relative(dir, f).split('/').includes('node_modules') && !UNUSED.test(f)) });
  }
  mkdirSync(join(rootfs, 'tmp'), { recursive: true });
  chmodSync(join(rootfs, 'tmp'), 0o1777);
  mkdirSync(join(rootfs, 'etc'), { recursive: true });
  writeFileSync(join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/tmp:/sbin/nologin\n');
  writeFileSync(join(rootfs, 'etc', 'group'), 'root:x:0:\nnonroot:x:65532:\n');
}

/** Builds the image as an OCI archive; returns its path and the image's name. */
export function buildZdprobeImage(b: ImageBuild): { tar: string; name: string } {
  const name = normalizeImage(b.name ?? DEFAULT_IMAGE);
  const layout = ociLayout(b.dir);
  const rootfs = join(b.dir, 'rootfs');
  rootfsOf(rootfs, b.node ?? process.execPath);
  const layer = layout.layer(rootfs);
  layout.image([layer], {
    name,
    entrypoint: ['/bin/node', `${APP}/bin/zdprobe.js`],
    cmd: ['--help'],
    env: ['PATH=/bin', 'NODE_ENV=production'],
    user: IMAGE_USER,
    workingDir: APP,
    labels: { 'org.opencontainers.image.title': 'zdprobe', 'org.opencontainers.image.version': TOOL_VERSION, 'org.opencontainers.image.licenses': 'Apache-2.0' },
  });
  return { tar: layout.pack(b.out), name };
}
