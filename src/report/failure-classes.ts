// Each failure class with one real message and what to do about it: a count alone sends the reader
// digging through the recording. Shared by the table, Markdown and HTML reports.
import type { Sample, Summary } from '../types.js';

export interface FailureClass {
  /** "HTTP 502", "gRPC UNAVAILABLE", "tls", "late". */
  name: string;
  count: number;
  /** The message of the first failed request of this class, when one is listed. */
  sample?: string;
  advice?: string;
}

const advice: Record<string, string> = {
  tls: "the target's certificate was refused: trust its CA with --ca FILE, skip the check with -k, or send the Host the certificate names with -H 'Host: NAME'",
  refused: "nothing accepted the connection: check the URL's host and port, and that a pod, Service or ingress listens there",
  dns: "the name did not resolve: check the URL, or probe the IP and name the site with -H 'Host: NAME'",
  timeout: 'no complete response within --timeout: the target hung or queued the request (raise --timeout only if slow answers are fine)',
  reset: 'the connection closed without a response: a pod stopped mid-request or a kept-alive connection went stale (see the incidents)',
  goaway: 'the server sent GOAWAY (it was shutting the HTTP/2 connection down) before answering this stream: a pod or proxy stopped without draining its HTTP/2 connections',
  'refused-stream': 'the server refused the HTTP/2 stream (REFUSED_STREAM: it never processed it): the server was overloaded or shutting down',
  'stream-reset': 'the HTTP/2 stream was reset (RST_STREAM) before its response was complete: the server or a proxy cancelled it mid-request',
  late: 'the probe could not send in time (--max-in-flight full or this machine overloaded): the latency counts the wait',
};

/** "HTTP 502" for a status, "gRPC UNAVAILABLE" for a gRPC code by name. */
export const statusName = (code: string): string => (/^\d+$/.test(code) ? `HTTP ${code}` : `gRPC ${code}`);

/** A request's result as the reports name it: "HTTP 502", "gRPC UNAVAILABLE", an error class or "late". */
export const classOf = (f: Sample): string =>
  f.outcome === 'late' ? 'late' : f.code !== undefined ? statusName(f.code) : f.status !== undefined ? statusName(String(f.status)) : (f.error ?? 'other');

function sampleText(f: Sample): string {
  const where = f.remote ? ` (remote ${f.remote})` : '';
  if (f.message) return `${f.message}${where}`;
  if (f.code !== undefined) return `gRPC ${f.code}${f.version ? ` from version ${f.version}` : ''}${where}`;
  return f.status !== undefined ? `status ${f.status}${f.version ? ` from version ${f.version}` : ''}${where}` : `no message${where}`;
}

/** Failed statuses, error classes and late requests, most frequent first. */
export function failureClasses(s: Summary): FailureClass[] {
  const samples = new Map<string, Sample>();
  for (const f of s.failures) if (!samples.has(classOf(f))) samples.set(classOf(f), f);
  const counts: Array<[string, number]> = [
    ...Object.entries(s.status).filter(([code]) => samples.has(statusName(code))).map(([code, n]): [string, number] => [statusName(code), n]),
    ...Object.entries(s.errors),
    ...(s.totals.late ? [['late', s.totals.late] as [string, number]] : []),
  ];
  return counts
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => {
      const sample = samples.get(name);
      const help = advice[name];
      return { name, count, ...(sample ? { sample: sampleText(sample) } : {}), ...(help ? { advice: help } : {}) };
    });
}
