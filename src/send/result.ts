// The plain types every sender shares: its options, one request's raw result, the sender itself.
import type { ConnMode, HttpProtocol } from '../types.js';
import type { Clock } from '../schedule/run-schedule.js';

/** Response headers (or gRPC metadata) with lower-case names. */
export type Headers = Record<string, string | string[] | undefined>;

export interface SenderOptions {
  url: URL;
  /** Absent: auto. */
  protocol?: HttpProtocol;
  method: string;
  /** gRPC: the unary method to call instead of the health check. */
  grpcMethod?: string;
  headers: Record<string, string>;
  data?: string;
  timeoutMs: number;
  insecure: boolean;
  ca?: string;
  /** Client certificate and key for mutual TLS. */
  cert?: string;
  key?: string;
  bodyCapBytes: number;
  /** Decides from the response headers whether the body must be kept (for tagging). */
  wantsBody(headers: Headers): boolean;
  /** Called with what each new connection negotiated: "http/1.1", "h2" (TLS) or "h2c". */
  onProtocol?(protocol: string): void;
  clock?: Clock;
}

export interface RawResult {
  sentAt: number;
  endedAt: number;
  status?: number;
  /** gRPC: the status code by name (or a health check's serving status); `message` says more. */
  code?: string;
  message?: string;
  headers?: Headers;
  body: string;
  error?: unknown;
}

export interface Sender {
  send(mode: ConnMode, done: (r: RawResult) => void): void;
  /**
   * Before time zero: opens `reuse` keep-alive connections (0: only the parser is warmed on a
   * throwaway connection; fresh-connection requests still open their own). Never sends a request.
   */
  preconnect?(reuse: number): Promise<void>;
  /** Ends every request in flight now, each with an 'unfinished' error (the run was stopped). */
  interrupt(): void;
  close(): Promise<void>;
}

export class TimeoutError extends Error {
  readonly code = 'ZD_TIMEOUT';
}

export class UnfinishedError extends Error {
  readonly code = 'ZD_UNFINISHED';
}
