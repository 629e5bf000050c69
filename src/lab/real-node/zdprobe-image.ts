// The zdprobe image inside the real node: a scenario pod (an Argo Rollouts analysis Job) that names
// `zdprobe:<tag>` runs zdprobe itself, built from this checkout as users build it (`zdprobe image
// build`, run as a command: the lab uses the product only through run/ or as a user does) and
// imported into the node's containerd beside the lab-app images.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { normalizeImage } from './images.js';

const ZDPROBE_REPOSITORY = 'docker.io/library/zdprobe';
const CLI = fileURLToPath(new URL('../../../../bin/zdprobe.js', import.meta.url)); // dist/src/lab/real-node/ -> bin/

/** `zdprobe:1.2.3` (any tag) is the zdprobe image; every other name is a lab-app image. */
export const isZdprobeImage = (ref: string): boolean => normalizeImage(ref).startsWith(`${ZDPROBE_REPOSITORY}:`);

/** Builds the zdprobe image under each requested name; returns the OCI archives to import. */
export async function zdprobeImageTars(dir: string, refs: string[]): Promise<string[]> {
  const names = [...new Set(refs.filter(isZdprobeImage).map(normalizeImage))];
  const tars: string[] = [];
  if (names.length > 0) mkdirSync(dir, { recursive: true });
  for (const [i, name] of names.entries()) {
    const out = join(dir, `zdprobe-${i}.oci.tar`);
    await promisify(execFile)(process.execPath, [CLI, 'image', 'build', '--out', out, '--name', name], { maxBuffer: 1 << 20 });
    tars.push(out);
  }
  return tars;
}
