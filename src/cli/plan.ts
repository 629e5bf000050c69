// `probe --plan FILE` (YAML or JSON) and `--target NAME=URL`: several targets in one run. Each
// target starts from the run's own flags (rate, timeout, headers, ...) and overrides what it names.
import { readFileSync } from 'node:fs';
import type { PlanEnv, ProbeConfig } from '../types.js';
import { usage } from '../errors.js';
import { parseHeader, parsePositive, parseShard, parseUrl, parseDuration } from './parse.js';
import { parseSource } from '../classify/tagger.js';
import { defaultMaxInFlight } from '../run/probe-config.js';
import { parseProtocol, withProtocol } from './protocol.js';

const TARGET_KEYS = ['name', 'url', 'rps', 'method', 'headers', 'data', 'versionFrom', 'instanceFrom', 'connection', 'protocol', 'expectVersion', 'expectSplit', 'timeout'] as const;
const PLAN_KEYS = ['rps', 'duration', 'timeout', 'env', 'targets'] as const;



type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownKeys(o: Raw, known: readonly string[], where: string): void {
  const extra = Object.keys(o).filter((k) => !known.includes(k));
  if (extra.length) throw usage(`${where}: unknown field "${extra[0]}" (known: ${known.join(', ')})`);
}

function text(v: unknown, where: string): string {
  if (typeof v !== 'string' || v === '') throw usage(`${where} must be a non-empty string`);
  return v;
}

function asRate(v: unknown, where: string): number {
  return parsePositive(String(v), where);
}

function stringMap(v: unknown, where: string): Record<string, string> {
  if (!isObject(v)) throw usage(`${where} must be a map of names to values`);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [parseHeader(`${k}: ${String(x)}`)[0], String(x)]));
}

function percentMap(v: unknown, where: string): Record<string, number> {
  if (!isObject(v)) throw usage(`${where} must map versions to percentages, e.g. {"1": 90, "2": 10}`);
  const out = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, Number(x)]));
  const sum = Object.values(out).reduce((a, b) => a + b, 0);
  if (Object.values(out).some((x) => !Number.isFinite(x) || x < 0) || Math.abs(sum - 100) > 0.01) throw usage(`${where} must be percentages >= 0 that add up to 100 (they add up to ${sum})`);
  return out;
}

/** The plan's `env` map: NAME -> {secret, key}. */
export function planEnvOf(doc: Raw, path: string): PlanEnv {
  const raw = doc['env'];
  if (raw === undefined) return {};
  if (!isObject(raw)) throw usage(`--plan ${path}: env must map variable names to {secret: NAME, key: KEY}`);
  const out: PlanEnv = {};
  for (const [name, v] of Object.entries(raw)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw usage(`--plan ${path}: env "${name}" is not a variable name (letters, digits, _)`);
    if (!isObject(v) || typeof v['secret'] !== 'string' || typeof v['key'] !== 'string' || !v['secret'] || !v['key']) throw usage(`--plan ${path}: env ${name} must be {secret: NAME, key: KEY}`);
    out[name] = { secret: v['secret'], key: v['key'] };
  }
  return out;
}

/** ${NAME} in a header value, for NAME in the plan's env, from the process environment (the value is never shown). */
function expandHeaders(headers: Record<string, string>, env: PlanEnv, values: NodeJS.ProcessEnv, where: string): Record<string, string> {
  const expand = (v: string): string => v.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => {
    if (!(name in env)) return whole;
    const value = values[name];
    if (value === undefined) throw usage(`${where}: header uses \${${name}} but ${name} is not set (zdprobe job sets it from Secret ${env[name]!.secret}, key ${env[name]!.key})`);
    return value;
  });
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, expand(v)]));
}

/** One target from the plan, on top of the run's config. */
function planTarget(raw: unknown, i: number, base: ProbeConfig, env: PlanEnv, values: NodeJS.ProcessEnv): ProbeConfig {
  const where = `plan target ${i + 1}`;
  if (!isObject(raw)) throw usage(`${where} must be a map with at least name and url`);
  unknownKeys(raw, TARGET_KEYS, where);
  const name = text(raw['name'], `${where}: name`);
  const t: ProbeConfig = { ...base, name, url: parseUrl(text(raw['url'], `target ${name}: url`)).href, gate: { ...base.gate } };
  if (raw['rps'] !== undefined) t.rps = asRate(raw['rps'], `target ${name}: rps`);
  if (raw['timeout'] !== undefined) t.timeoutMs = parseDuration(String(raw['timeout']), `target ${name}: timeout`);
  if (raw['headers'] !== undefined) t.headers = { ...base.headers, ...expandHeaders(stringMap(raw['headers'], `target ${name}: headers`), env, values, `target ${name}`) };
  if (raw['data'] !== undefined) t.data = String(raw['data']);
  if (raw['versionFrom'] !== undefined) t.versionFrom = parseSource(String(raw['versionFrom']), `target ${name}: versionFrom`);
  if (raw['instanceFrom'] !== undefined) t.instanceFrom = parseSource(String(raw['instanceFrom']), `target ${name}: instanceFrom`);
  if (raw['connection'] !== undefined) {
    const c = String(raw['connection']);
    if (c !== 'reuse' && c !== 'new' && c !== 'both') throw usage(`target ${name}: connection "${c}" must be reuse, new or both`);
    t.connection = c;
  }
  if (raw['expectVersion'] !== undefined) t.gate.expectVersion = String(raw['expectVersion']);
  else delete t.gate.expectVersion;
  if (raw['expectSplit'] !== undefined) t.expectSplit = percentMap(raw['expectSplit'], `target ${name}: expectSplit`);
  t.maxInFlight = Math.max(base.maxInFlight, defaultMaxInFlight(t.rps, t.timeoutMs));
  const protocol = raw['protocol'] === undefined ? base.protocol : parseProtocol(String(raw['protocol']), `target ${name}: protocol`);
  const method = raw['method'] === undefined ? undefined : text(raw['method'], `target ${name}: method`);
  return withProtocol(t, protocol, method ?? base.grpcMethod, `target ${name}`);
}

/** Parses a plan's text; `base` is the config the run's flags give (url aside). */
export function parsePlan(source: string, path: string, base: ProbeConfig, parseYaml: (text: string) => unknown, values: NodeJS.ProcessEnv = process.env): { targets: ProbeConfig[]; durationS?: number; env: PlanEnv } {
  let doc: unknown;
  try {
    doc = parseYaml(source);
  } catch (err) {
    throw usage(`--plan ${path}: not valid YAML or JSON (${(err as Error).message.split('\n')[0]})`);
  }
  if (!isObject(doc) || !Array.isArray(doc['targets']) || doc['targets'].length === 0) throw usage(`--plan ${path}: needs a "targets" list, e.g. targets: [{name: users, url: "http://10.0.0.5/"}]`);
  unknownKeys(doc, PLAN_KEYS, `--plan ${path}`);
  const runBase = { ...base };
  if (doc['rps'] !== undefined) runBase.rps = asRate(doc['rps'], 'plan rps');
  if (doc['timeout'] !== undefined) runBase.timeoutMs = parseDuration(String(doc['timeout']), 'plan timeout');
  const env = planEnvOf(doc, path);
  const targets = doc['targets'].map((raw, i) => planTarget(raw, i, runBase, env, values));
  const names = new Set<string>();
  for (const t of targets) {
    if (names.has(t.name!)) throw usage(`--plan ${path}: two targets are named "${t.name}"`);
    names.add(t.name!);
  }
  return { targets, env, ...(doc['duration'] !== undefined ? { durationS: parseDuration(String(doc['duration']), 'plan duration') / 1000 } : {}) };
}

export async function readPlan(path: string, base: ProbeConfig, values: NodeJS.ProcessEnv = process.env): Promise<{ targets: ProbeConfig[]; durationS?: number; env: PlanEnv; source: string }> {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (err) {
    throw usage(`--plan ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const { parse } = await import('yaml'); // YAML is a superset of JSON: one parser for both
  return { ...parsePlan(source, path, base, (t) => parse(t), values), source };
}

/** `--target NAME=URL`, repeatable: the simple case of a plan, every target with the run's flags. */
export function parseTargetFlag(text: string, base: ProbeConfig): ProbeConfig {
  const i = text.indexOf('=');
  const name = i > 0 ? text.slice(0, i).trim() : '';
  if (!name || /\s/.test(name)) throw usage(`--target "${text}" must be NAME=URL, e.g. --target green=http://10.0.0.5/green/`);
  const t = { ...base, name, url: parseUrl(text.slice(i + 1).trim()).href };
  return withProtocol(t, base.protocol, base.grpcMethod, `--target ${name}`);
}

/** --shard i/n: each target at 1/n of its rate (the in-flight cap stays: it bounds, it does not pace). */
export function shardOf(targets: ProbeConfig[], shard: string | undefined): ProbeConfig[] {
  if (shard === undefined) return targets;
  const { of } = parseShard(shard);
  return targets.map((t) => ({ ...t, rps: t.rps / of }));
}
