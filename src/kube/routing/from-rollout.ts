// Kruise Rollout step `matches` (header routes to the canary) as model matches.
import type { RolloutStep } from '../route-objects.js';
import type { RouteMatch } from './model.js';

/** Each entry's headers must all hold; an entry without headers matches nothing (it routes no request). */
export function stepMatches(step: RolloutStep | undefined): RouteMatch[] {
  return (step?.matches ?? []).filter((m) => (m?.headers ?? []).length > 0).map((m) => ({
    headers: (m.headers ?? []).map((h) => ({
      name: String(h.name).toLowerCase(),
      match: h.type === 'RegularExpression'
        ? { kind: 'regex' as const, value: `^(?:${String(h.value)})$` } : { kind: 'exact' as const, value: String(h.value) },
    })),
  }));
}
