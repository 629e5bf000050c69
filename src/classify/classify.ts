// Raw result of one request -> Sample: ok or failed, status or error class, version, instance.
import type { ConnMode, Sample } from '../types.js';
import type { RawResult } from '../send/sender.js';
import type { Tagger } from './tagger.js';
import { classifyError } from './error-class.js';

export interface ClassifyOptions {
  okStatus: Array<[number, number]>;
  version: Tagger;
  instance?: Tagger;
}

// Built field by field, not by spreading: this runs once per request.
export function classify(seq: number, intended: number, mode: ConnMode, r: RawResult, opts: ClassifyOptions): Sample {
  if (r.code !== undefined) return grpcSample({ seq, intended, sent: r.sentAt, mode, latencyMs: r.endedAt - intended }, r, opts);
  const s: Sample = { seq, intended, sent: r.sentAt, mode, latencyMs: r.endedAt - intended, outcome: 'failed' };
  const status = r.status;
  if (r.error !== undefined || status === undefined) {
    const c = classifyError(r.error);
    s.error = c.error;
    s.message = c.message;
    if (c.remote) s.remote = c.remote;
    return s;
  }
  const headers = r.headers ?? {};
  if (isOk(status, opts.okStatus)) s.outcome = 'ok';
  s.status = status;
  const version = opts.version.tag(headers, r.body);
  if (version !== undefined) s.version = version;
  const instance = opts.instance?.tag(headers, r.body);
  if (instance !== undefined) s.instance = instance;
  return s;
}

function isOk(status: number, ranges: Array<[number, number]>): boolean {
  for (const [lo, hi] of ranges) if (status >= lo && status <= hi) return true;
  return false;
}

/** gRPC: ok only with code OK (a health check's NOT_SERVING arrives as its own code); version from the metadata. */
function grpcSample(base: Omit<Sample, 'outcome'>, r: RawResult, opts: ClassifyOptions): Sample {
  const headers = r.headers ?? {};
  const version = opts.version.tag(headers, r.body);
  const instance = opts.instance?.tag(headers, r.body);
  return {
    ...base,
    outcome: r.code === 'OK' ? 'ok' : 'failed',
    code: r.code!,
    ...(r.code !== 'OK' && r.message ? { message: r.message } : {}),
    ...(version !== undefined ? { version } : {}),
    ...(instance !== undefined ? { instance } : {}),
  };
}

/** What became of a request, in one word: its status code (HTTP, or gRPC by name), its error class, or "late". */
export const resultOf = (s: Sample): string =>
  s.outcome === 'late' ? 'late' : s.code !== undefined ? s.code : s.status !== undefined ? String(s.status) : (s.error ?? 'other');

export function lateSample(seq: number, intended: number, mode: ConnMode, inFlight: number): Sample {
  return { seq, intended, sent: null, mode, outcome: 'late', latencyMs: 0, message: `not sent: ${inFlight} requests already in flight (--max-in-flight)` };
}
