// Secrets never reach a recording or a report: a value is shown only when it is known to be
// harmless (an allow-listed header) or the user named it. Everything else is hidden by default.
import type { CommandResult, ProbeConfig } from '../types.js';

export const REDACTED = '<redacted>';

/** Headers whose values describe the request, never a credential. */
const shownHeaders = new Set(['host', 'accept', 'user-agent', 'content-type']);

/** Every header value is hidden except the allow-list and the routing headers the user named (--show-header). */
export function redactHeaders(headers: Record<string, string>, show: readonly string[] = []): Record<string, string> {
  const shown = new Set([...shownHeaders, ...show.map((h) => h.toLowerCase())]);
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, shown.has(k.toLowerCase()) ? v : REDACTED]));
}

/** A URL without user:password and with every query value hidden (names kept: they say what was asked). */
export function redactUrl(href: string): string {
  const url = new URL(href);
  url.username = '';
  url.password = '';
  const query = url.search;
  url.search = '';
  url.hash = '';
  if (!query) return url.href;
  // Built by hand so the placeholder reads as "<redacted>", not "%3Credacted%3E".
  const names = query.slice(1).split('&').filter(Boolean).map((pair) => pair.split('=')[0]);
  return `${url.href}?${names.map((name) => `${name}=${REDACTED}`).join('&')}`;
}

/** The deploy command's program name, its arguments hidden (a token on a command line is common). */
export function redactArgv(argv: readonly string[]): string[] {
  if (argv.length === 1) {
    // One argument is a shell line: keep its first word.
    const [program = '', ...rest] = argv[0]!.trim().split(/\s+/);
    return [rest.length ? `${program} ${REDACTED}` : program];
  }
  return argv.map((arg, i) => (i === 0 ? arg : REDACTED));
}

export function redactCommand(result: CommandResult): CommandResult {
  return { ...result, argv: redactArgv(result.argv) };
}

/** The config as a recording may hold it: no credential, query value, hidden header or body. */
export function redactConfig(config: ProbeConfig): ProbeConfig {
  const recorded: ProbeConfig = { ...config, url: redactUrl(config.url), headers: redactHeaders(config.headers, config.showHeaders) };
  if (config.data !== undefined) recorded.data = `<${Buffer.byteLength(config.data)} bytes, not recorded>`;
  if (config.ca !== undefined) recorded.ca = `<${Buffer.byteLength(config.ca)} bytes of PEM, not recorded>`;
  if (config.cert !== undefined) recorded.cert = `<${Buffer.byteLength(config.cert)} bytes of PEM, not recorded>`;
  if (config.key !== undefined) recorded.key = '<private key, not recorded>';
  return recorded;
}
