// Placeholder until the command lands; it declares the command so `--help` lists it.
import type { Command } from 'commander';
import { ZdError } from '../errors.js';

export function registerLab(program: Command): void {
  program.command('lab').description('(not built yet)').allowUnknownOption().action(() => {
    throw new ZdError('internal', 'lab is not built yet');
  });
}
