// One error class for everything the user can fix or the tool cannot do; the CLI maps
// `code` to an exit code and prints `message` on one line, never a stack.

export type ErrorCode = 'usage' | 'input' | 'unreachable' | 'internal';

export class ZdError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ZdError';
    this.code = code;
  }
}

export const usage = (message: string): ZdError => new ZdError('usage', message);

/** Exit codes: 0 passed, 1 gate failed, 2 bad usage or input, 3 could not run. */
export function exitCodeOf(err: unknown): number {
  if (!(err instanceof ZdError)) return 3;
  if (err.code === 'usage' || err.code === 'input') return 2;
  return 3;
}
