// Parsers for CLI values: each throws a one-line usage error that says how to fix the input.
import { usage } from '../errors.js';

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
    if (hi < lo) throw usage(`${flag}: range ${part.trim()} goes backwards`);
    return [lo, hi] as [number, number];
  });
}

/** "Name: value" -> [name, value] */
export function parseHeader(text: string): [string, string] {
  const i = text.indexOf(':');
  const name = i > 0 ? text.slice(0, i).trim() : '';
  if (!name || /\s/.test(name)) throw usage(`-H "${text}" is not a header: use -H 'Name: value'`);
  return [name, text.slice(i + 1).trim()];
}

export function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usage(`"${text}" is not a valid URL: use e.g. http://127.0.0.1:8080/ or https://shop.example.com/`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usage(`"${text}": only http:// and https:// URLs can be probed`);
  return url;
}
