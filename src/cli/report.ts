// Placeholder until the command lands; it declares the command so `--help` lists it.
import type { Command } from 'commander';
import { ZdError } from '../errors.js';

export function registerReport(program: Command): void {
  program.command('report').description('(not built yet)').allowUnknownOption().action(() => {
    throw new ZdError('internal', 'report is not built yet');
  });
}
