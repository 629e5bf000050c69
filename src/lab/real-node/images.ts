// Pod images built locally, without Docker or a registry: an OCI-layout tar whose one layer holds the
// lab app (the same compiled Node app the stand-in runs, with the Node binary and the libraries it
// links) or the static pause, imported into containerd with ctr. One index names every tag.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { versionOfImage } from '../app/config.js';
import { normalizeImage, ociLayout, place, placeBinary } from '../../kube/oci-image.js';

/** The sandbox image containerd's CRI plugin is pointed at (sandbox_image). */
export const PAUSE_IMAGE = 'zdprobe.local/pause:1';
/** Where the compiled app lives in the image; main.js imports ../../errors.js, so the tree is kept. */
const APP_ROOT = '/app';
const DIST = fileURLToPath(new URL('../../../', import.meta.url)); // dist/src/ -> dist/

export { normalizeImage };

/** The lab app's rootfs: /bin/node, /bin/sleep (for preStop exec hooks), their libraries, /app. */
function appRootfs(rootfs: string): void {
  for (const bin of [process.execPath, '/bin/sleep']) placeBinary(rootfs, bin);
  for (const f of ['src/errors.js', 'src/lab/app/main.js', 'src/lab/app/config.js', 'src/lab/app/server.js', 'src/lab/app/faults.js']) {
    place(rootfs, join(DIST, f), join(APP_ROOT, 'dist', f));
  }
  writeFileSync(join(rootfs, APP_ROOT, 'package.json'), '{ "type": "module" }\n');
  mkdirSync(join(rootfs, 'tmp'), { recursive: true });
}

/**
 * Writes one OCI-layout tar holding the pause image and one lab-app image per requested name
 * (all sharing one layer; each has VERSION from its tag, as the stand-in kubelet derives it).
 */
export function buildImageTar(dir: string, pauseBinary: string, appImages: string[]): string {
  const layout = ociLayout(dir);
  const pauseRoot = join(dir, 'pause-rootfs');
  place(pauseRoot, pauseBinary, '/pause');
  const pauseLayer = layout.layer(pauseRoot);
  const appRoot = join(dir, 'app-rootfs');
  appRootfs(appRoot);
  const appLayer = layout.layer(appRoot);
  const path = 'PATH=/bin';
  layout.image([pauseLayer], { name: PAUSE_IMAGE, entrypoint: ['/pause'], env: [path] });
  for (const name of new Set(appImages.map(normalizeImage))) {
    layout.image([appLayer], {
      name,
      entrypoint: ['/bin/node', `${APP_ROOT}/dist/src/lab/app/main.js`, '--host', '0.0.0.0'],
      env: [path, `VERSION=${versionOfImage(name)}`],
    });
  }
  return layout.pack(join(dir, 'images.tar'));
}

export const imageTarSize = (tar: string): number => statSync(tar).size;
