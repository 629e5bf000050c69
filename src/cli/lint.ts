// Placeholder until the command lands; it declares the command so `--help` lists it.
import type { Command } from 'commander';
import { ZdError } from '../errors.js';

export function registerLint(program: Command): void {
  program.command('lint').description('(not built yet)').allowUnknownOption().action(() => {
    throw new ZdError('internal', 'lint is not built yet');
  });
}
