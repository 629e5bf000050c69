// A small JSON Schema (draft 2020-12) checker for the keywords docs/schema uses: type, const, enum,
// properties, required, additionalProperties, items, prefixItems, oneOf, $ref (in-file and to a
// sibling file). Enough to hold our published schemas to real output without a validator dependency.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Schema = boolean | { [k: string]: unknown };
const DIR = fileURLToPath(new URL('../../../docs/schema/', import.meta.url));
const files = new Map<string, Schema>();

function load(file: string): Schema {
  if (!files.has(file)) files.set(file, JSON.parse(readFileSync(DIR + file, 'utf8')) as Schema);
  return files.get(file)!;
}

function resolve(ref: string, file: string): [Schema, string] {
  const [path, pointer = ''] = ref.split('#');
  const target = path ? path : file;
  let node: unknown = load(target);
  for (const part of pointer.split('/').filter(Boolean)) node = (node as Record<string, unknown>)[part];
  if (node === undefined) throw new Error(`unresolved $ref ${ref} in ${file}`);
  return [node as Schema, target];
}

const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;
const isType = (v: unknown, t: string): boolean => t === typeOf(v) || (t === 'number' && typeOf(v) === 'integer');

/** Where `value` breaks `schema` ("$.incidents[0].events[3]: ..."), empty when it conforms. */
function check(value: unknown, schema: Schema, file: string, at: string): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${at}: not allowed`];
  const s = schema;
  if (typeof s['$ref'] === 'string') {
    const [target, targetFile] = resolve(s['$ref'], file);
    return check(value, target, targetFile, at);
  }
  if ('const' in s && JSON.stringify(value) !== JSON.stringify(s['const'])) return [`${at}: expected ${JSON.stringify(s['const'])}, got ${JSON.stringify(value)}`];
  if (Array.isArray(s['enum']) && !s['enum'].some((x) => JSON.stringify(x) === JSON.stringify(value))) return [`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s['enum'])}`];
  if (s['type'] !== undefined) {
    const types = ([] as string[]).concat(s['type'] as string | string[]);
    if (!types.some((t) => isType(value, t))) return [`${at}: expected ${types.join('|')}, got ${typeOf(value)}`];
  }
  if (Array.isArray(s['oneOf'])) {
    const results = s['oneOf'].map((sub) => check(value, sub as Schema, file, at));
    const passing = results.filter((r) => r.length === 0).length;
    // For a union that matched nothing, the closest alternative's complaints say the most.
    const closest = [...results].sort((x, y) => x.length - y.length)[0] ?? [];
    if (passing === 0) return [`${at}: matches none of the oneOf alternatives; closest: ${closest.join('; ')}`];
    if (passing > 1) return [`${at}: matches ${passing} of the oneOf alternatives, not exactly one`];
  }
  const out: string[] = [];
  if (typeOf(value) === 'object') out.push(...checkObject(value as Record<string, unknown>, s, file, at));
  if (Array.isArray(value)) {
    const prefix = (s['prefixItems'] ?? []) as Schema[];
    value.forEach((item, i) => {
      const sub = i < prefix.length ? prefix[i]! : (s['items'] as Schema | undefined);
      if (sub !== undefined) out.push(...check(item, sub, file, `${at}[${i}]`));
    });
  }
  return out;
}

function checkObject(value: Record<string, unknown>, s: { [k: string]: unknown }, file: string, at: string): string[] {
  const out: string[] = [];
  const props = (s['properties'] ?? {}) as Record<string, Schema>;
  for (const key of (s['required'] ?? []) as string[]) if (!(key in value)) out.push(`${at}: missing "${key}"`);
  for (const [key, v] of Object.entries(value)) {
    const sub = props[key] ?? (s['additionalProperties'] as Schema | undefined);
    if (sub !== undefined) out.push(...check(v, sub, file, `${at}.${key}`));
  }
  return out;
}

/** Problems of `value` against docs/schema/`file`; empty when it conforms. */
export function schemaProblems(file: string, value: unknown): string[] {
  return check(value, load(file), file, '$');
}
