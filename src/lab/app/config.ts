// The lab app's configuration: pod container env plus --host/--port from the kubelet.
import { ZdError } from '../../errors.js';
import { parseFaults, type Faults } from './faults.js';

export type ShutdownMode = 'graceful' | 'immediate' | 'ignore' | 'close-keepalive';

export interface AppConfig {
  host: string;
  port: number;
  version: string;
  podName: string;
  shutdown: ShutdownMode;
  drainMs: number;
  startDelayMs: number;
  responseDelayMs: number;
  /** Body template; {version} and {pod} are replaced. */
  body: string;
  faults: Faults;
}

const MODES: readonly ShutdownMode[] = ['graceful', 'immediate', 'ignore', 'close-keepalive'];
export const DEFAULT_BODY = 'Version {version} of my awesome app!';

/** `lab/web:2` -> `2`; a registry port is not a tag; no tag -> `latest`. */
export function versionOfImage(image: string): string {
  const noDigest = image.split('@')[0] ?? '';
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > lastSlash ? noDigest.slice(colon + 1) : 'latest';
}

export function parseAppConfig(env: NodeJS.ProcessEnv, argv: readonly string[]): AppConfig {
  const shutdown = (env['SHUTDOWN'] || 'graceful') as ShutdownMode;
  if (!MODES.includes(shutdown)) {
    throw new ZdError('usage', `SHUTDOWN must be one of ${MODES.join('|')}, got "${shutdown}"`);
  }
  return {
    host: flag(argv, '--host') ?? '127.0.0.1',
    port: intOf('--port', flag(argv, '--port') ?? env['PORT'] ?? '8080'),
    version: env['VERSION'] || (env['IMAGE'] ? versionOfImage(env['IMAGE']) : 'unknown'),
    podName: env['POD_NAME'] || env['HOSTNAME'] || 'local',
    shutdown,
    drainMs: intOf('DRAIN_MS', env['DRAIN_MS'] ?? '0'),
    startDelayMs: intOf('START_DELAY_MS', env['START_DELAY_MS'] ?? '0'),
    responseDelayMs: intOf('RESPONSE_DELAY_MS', env['RESPONSE_DELAY_MS'] ?? '0'),
    body: env['BODY'] ?? DEFAULT_BODY,
    faults: parseFaults(env),
  };
}

export function renderBody(config: AppConfig): string {
  return config.body.replaceAll('{version}', config.version).replaceAll('{pod}', config.podName);
}

function flag(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i >= 0) return argv[i + 1];
  const inline = argv.find((a) => a.startsWith(`${name}=`));
  return inline?.slice(name.length + 1);
}

function intOf(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ZdError('usage', `${name} must be a non-negative integer, got "${raw}"`);
  return n;
}
