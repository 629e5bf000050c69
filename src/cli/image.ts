// `zdprobe image build`: the zdprobe container image as an OCI archive, built without Docker.
import type { Command } from 'commander';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ZdError } from '../errors.js';
import { TOOL_VERSION } from '../version.js';

export function registerImage(program: Command): void {
  const image = program.command('image').description('the zdprobe container image');
  image
    .command('build')
    .description('build the zdprobe image as an OCI archive (no Docker): ctr images import, skopeo copy oci-archive:, podman load')
    .option('--out <file>', 'the OCI archive to write', 'zdprobe.oci.tar')
    .option('--name <ref>', 'the image name', `zdprobe:${TOOL_VERSION}`)
    .option('--node <binary>', 'the linux Node binary to ship (default: the one running zdprobe)')
    .action(async (flags: { out: string; name: string; node?: string }) => {
      if (process.platform !== 'linux') throw new ZdError('usage', 'zdprobe image build runs on Linux (it ships this machine\'s Node binary and libraries)');
      const { buildZdprobeImage } = await import('../deploy/zdprobe-image.js'); // the image builder loads only for this command
      const dir = mkdtempSync(join(tmpdir(), 'zdprobe-image-'));
      try {
        const { tar, name } = buildZdprobeImage({ dir, out: resolve(flags.out), name: flags.name, ...(flags.node ? { node: flags.node } : {}) });
        process.stderr.write(`zdprobe: built ${name} into ${tar} (${(statSync(tar).size / 1e6).toFixed(1)} MB)\n`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
}
