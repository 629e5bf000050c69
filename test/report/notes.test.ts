// An incident's notes (what its failures alone cannot show) appear in every report format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, recording } from '../fixtures/recordings/build.js';
import * as scenarios from '../fixtures/recordings/scenarios.js';
import { render } from '../../src/report/index.js';
import type { Summary } from '../../src/types.js';

const NOTE = '4 requests ended at the probe\'s own 2 s timeout on a path through Traefik';

function withNote(): Summary {
  const s = analyse(recording(scenarios.terminatingEndpoint()));
  return { ...s, incidents: s.incidents.map((i) => ({ ...i, notes: [NOTE] })) };
}

for (const [format, shape] of [['table', /^ {2}note: 4 requests ended/m], ['md', /^\*\*Note:\*\* 4 requests ended/m], ['junit', /note: 4 requests ended/], ['html', /<div class="note">Note: 4 requests ended/]] as const) {
  test(`the ${format} report shows an incident's notes`, () => {
    assert.match(render(withNote(), format), shape);
  });
}

test('an incident without notes shows none', () => {
  assert.doesNotMatch(render(analyse(recording(scenarios.terminatingEndpoint())), 'table'), /note:/);
});
