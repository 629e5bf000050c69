// One request's response as every HTTP sender collects it: the final status and headers (1xx skipped),
// the body kept only when tagging needs it and only up to the cap (the rest drained), and one outcome.
import type { Headers, RawResult, SenderOptions } from './result.js';

export class ResponseCollector {
  status: number | undefined = undefined;
  headers: Headers | undefined = undefined;
  private done = false;
  private keep = false;
  private size = 0;
  private chunks: Buffer[] | undefined = undefined;

  constructor(private readonly opts: Pick<SenderOptions, 'wantsBody' | 'bodyCapBytes'>, readonly sentAt: number) {}

  /** Response headers arrived; a 1xx informational response is skipped (the real one follows). */
  response(status: number, headers: Headers): void {
    if (status < 200) return;
    this.status = status;
    this.headers = headers;
    this.keep = this.opts.wantsBody(headers);
  }

  /** `reused`: the chunk is a view into a buffer its sender reads into again, so what is kept is copied. */
  data(chunk: Buffer, reused = false): void {
    if (!this.keep || this.size >= this.opts.bodyCapBytes) return; // drained, never buffered past the cap
    const view = chunk.subarray(0, this.opts.bodyCapBytes - this.size);
    const part = reused ? Buffer.from(view) : view;
    (this.chunks ??= []).push(part);
    this.size += part.length;
  }

  /** True the first time only: a request has one outcome, however many ways it ends. */
  finish(): boolean {
    if (this.done) return false;
    this.done = true;
    return true;
  }

  get finished(): boolean {
    return this.done;
  }

  result(endedAt: number, error?: unknown): RawResult {
    const body = this.chunks ? Buffer.concat(this.chunks).toString('utf8') : '';
    const { sentAt, status, headers } = this;
    return error === undefined ? { sentAt, endedAt, status, headers, body } : { sentAt, endedAt, body, error };
  }
}
