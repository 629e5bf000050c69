// Parsers for CLI values: each throws a one-line usage error that says how to fix the input.
import { readFileSync } from 'node:fs';
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { usage } from '../errors.js';
import { isGrpcMethod } from './protocol.js';

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "250ms", "5s", "2m", "1h", or a plain number of seconds -> milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw usage(`${flag} "${text}" is not a duration: use e.g. 500ms, 5s, 2m or 1h`);
  return Math.round(Number(m[1]) * units[m[2] ?? 's']!);
}

export function parsePositive(text: string, flag: string, { integer = false } = {}): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw usage(`${flag} "${text}" must be a positive ${integer ? 'integer' : 'number'}`);
  }
  return n;
}

/** Threads per target: a whole number from 1 to 64. */
export function parseWorkers(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw usage(`${flag} "${text}" must be a whole number from 1 to 64`);
  return n;
}

export function parseCount(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw usage(`${flag} "${text}" must be a whole number >= 0`);
  return n;
}

/** "0.5%" or "0.005" -> 0.005 */
export function parseRate(text: string, flag: string): number {
  const pct = text.trim().endsWith('%');
  const n = Number(pct ? text.trim().slice(0, -1) : text);
  const rate = pct ? n / 100 : n;
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) throw usage(`${flag} "${text}" must be a fraction (0.01) or a percentage (1%) between 0 and 100%`);
  return rate;
}

/** "200-399,404" -> [[200,399],[404,404]] */
export function parseStatusRanges(text: string, flag: string): Array<[number, number]> {
  return text.split(',').map((part) => {
    const m = /^\s*(\d{3})(?:\s*-\s*(\d{3}))?\s*$/.exec(part);
    if (!m) throw usage(`${flag} "${text}" must list status codes or ranges, e.g. 200-399,404`);
    const lo = Number(m[1]);
    const hi = Number(m[2] ?? m[1]);
    if (lo < 100 || hi > 599) throw usage(`${flag}: ${part.trim()} is not an HTTP status: statuses run from 100 to 599`);
    if (hi < lo) throw usage(`${flag}: range ${part.trim()} goes backwards`);
    return [lo, hi] as [number, number];
  });
}

/** An HTTP token (RFC 9110): what a header name or a method may be made of. */
const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** "Name: value" -> [name, value] */
export function parseHeader(text: string): [string, string] {
  const i = text.indexOf(':');
  const name = i > 0 ? text.slice(0, i).trim() : '';
  if (!token.test(name)) throw usage(`-H "${text}" is not a header: use -H 'Name: value' (the name is letters, digits and - only)`);
  const value = text.slice(i + 1).trim();
  // undici would throw on these mid-run, once per request.
  if (/[\r\n\0]/.test(value)) throw usage(`-H ${name}: the value holds a line break or NUL, which HTTP does not allow`);
  return [name, value];
}

/** "get" -> "GET"; a method is one HTTP token. */
export function parseMethod(text: string): string {
  if (!token.test(text)) throw usage(`-X "${text}" is not an HTTP method: use e.g. GET, POST or HEAD`);
  const method = text.toUpperCase();
  // undici refuses CONNECT (it is a tunnel, not a request).
  if (method === 'CONNECT') throw usage('-X CONNECT cannot be probed: use e.g. GET, POST or HEAD');
  return method;
}

/**
 * The highest rate one zdprobe process is let schedule. One thread sends about 25 000 rps on one core of
 * this machine and worker threads add a core each (bench/RESULTS.md); far above what the cores hold the
 * pacer would starve the event loop, and with it --duration and signals.
 */
export const MAX_RPS = 50_000;

export function parseRps(text: string): number {
  const rps = parsePositive(text, '--rps');
  if (rps > MAX_RPS) throw usage(`--rps ${text} is more than one zdprobe process can schedule (at most ${MAX_RPS}): run several probes, each at a share of the rate`);
  return rps;
}

/** --cert and --key for mutual TLS: both or neither, PEM, and the key must belong to the certificate. */
export function readClientCert(certPath: string | undefined, keyPath: string | undefined): { cert: string; key: string } {
  if (certPath === undefined || keyPath === undefined) throw usage('mutual TLS needs both --cert FILE and --key FILE');
  const read = (path: string, flag: string): string => {
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      throw usage(`${flag} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  };
  const cert = read(certPath, '--cert');
  const key = read(keyPath, '--key');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (err) {
    throw usage(`--cert ${certPath} is not a PEM certificate (${(err as Error).message})`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch (err) {
    throw usage(`--key ${keyPath} is not a PEM private key (${(err as Error).message.split('\n')[0]})`);
  }
  if (!x509.checkPrivateKey(privateKey)) throw usage(`--key ${keyPath} does not belong to the --cert ${certPath} certificate`);
  return { cert, key };
}

/** A --ca file: read and checked to hold at least one PEM certificate, so a wrong file fails up front. */
export function readCa(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw usage(`--ca ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(text);
  try {
    if (!pem) throw new Error('no BEGIN CERTIFICATE block');
    new X509Certificate(pem[0]);
  } catch (err) {
    throw usage(`--ca ${path} is not a PEM certificate file (${(err as Error).message}): give the CA certificate in PEM (-----BEGIN CERTIFICATE-----)`);
  }
  return text;
}

export interface ProbeInput {
  duration?: string;
  warmup?: string;
  method: string;
  rps: string;
  ca?: string;
}

/**
 * Checks what buildConfig alone cannot: how the arguments relate. `argv` is the raw command line,
 * to tell a deploy command after `--` from a stray positional argument.
 */
export function checkProbeInput(command: readonly string[], f: ProbeInput, argv: readonly string[] = process.argv): void {
  if (command.length && !argv.includes('--')) {
    throw usage(`unexpected argument "${command[0]}": probe takes one URL; put a deploy command after --, e.g. zdprobe probe URL -- kubectl rollout restart deploy/web`);
  }
  if (!command.length && f.warmup !== undefined) throw usage('--warmup applies to a deploy command, and none was given: add one after --, or use --duration');
  if (f.duration !== undefined && parseDuration(f.duration, '--duration') <= 0) throw usage(`--duration ${f.duration} is no time at all: give e.g. 30s, or leave it out to run until Ctrl-C`);
  parseRps(f.rps);
  if (!isGrpcMethod(f.method)) parseMethod(f.method); // pkg.Service/Method: checked against its grpc:// URL
  if (f.ca !== undefined) readCa(f.ca);
}

export function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usage(`"${text}" is not a valid URL: use e.g. http://127.0.0.1:8080/ or https://shop.example.com/`);
  }
  if (!['http:', 'https:', 'grpc:', 'grpcs:'].includes(url.protocol)) throw usage(`"${text}": only http://, https://, grpc:// and grpcs:// URLs can be probed`);
  return url;
}

/** host:port, [v6]:port or :port (all interfaces); port 0 picks a free one. */
export function parseListenAddress(text: string, flag: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw usage(`${flag} "${text}": give host:port, e.g. 127.0.0.1:9464, [::1]:9464 or 0.0.0.0:9464`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

/** i/n with 0 <= i < n: this process's share of a rate split n ways. */
export function parseShard(text: string): { index: number; of: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const of = Number(m?.[2]);
  if (!m || of < 1 || index >= of) throw usage(`--shard "${text}": give i/n with 0 <= i < n, e.g. 0/3 for the first of three pods`);
  return { index, of };
}
