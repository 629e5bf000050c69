// pod-template-hash as the Deployment controller computes it: FNV-1a 32 over the template
// (plus the collision count), printed in decimal and mapped onto rand.SafeEncodeString's alphabet.
// Upstream hashes a spew dump of the Go struct; we hash canonical JSON, so the label values differ
// from a real cluster's, while the form (e.g. "5d4f8b9c7") and the behaviour are the same.
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { canonicalJson } from './objects.js';

export const HASH_LABEL = 'pod-template-hash';
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function safeEncode(s: string): string {
  let out = '';
  for (const ch of s) out += SAFE_ALPHABET[ch.charCodeAt(0) % SAFE_ALPHABET.length];
  return out;
}

/** The template as the controller compares it: without the pod-template-hash label. */
export function templateWithoutHash(template: V1PodTemplateSpec | undefined): V1PodTemplateSpec {
  const labels = { ...(template?.metadata?.labels ?? {}) };
  delete labels[HASH_LABEL];
  const kept = Object.keys(labels).length > 0 ? labels : undefined;
  return { ...template, metadata: { ...template?.metadata, labels: kept } };
}

export function templateHash(template: V1PodTemplateSpec | undefined, collisionCount?: number): string {
  const json = canonicalJson(templateWithoutHash(template));
  let h = fnv32a(new TextEncoder().encode(json));
  if (collisionCount !== undefined) {
    const extra = new Uint8Array(8);
    new DataView(extra.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(extra, h);
  }
  return safeEncode(String(h));
}

/** Upstream's EqualIgnoreHash: two templates equal once the pod-template-hash label is dropped. */
export function sameTemplate(a: V1PodTemplateSpec | undefined, b: V1PodTemplateSpec | undefined): boolean {
  return canonicalJson(templateWithoutHash(a)) === canonicalJson(templateWithoutHash(b));
}
