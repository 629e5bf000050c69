// Placeholder until the command lands; it declares the command so `--help` lists it.
import type { Command } from 'commander';
import { ZdError } from '../errors.js';

export function registerProbe(program: Command): void {
  program.command('probe').description('(not built yet)').allowUnknownOption().action(() => {
    throw new ZdError('internal', 'probe is not built yet');
  });
}
