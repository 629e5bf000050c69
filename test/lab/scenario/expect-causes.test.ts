// A scenario that expects causes also holds the run to one failure, one cause.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkExpectations } from '../../../src/lab/scenario/expect.js';
import { analyse, recording } from '../../fixtures/recordings/build.js';
import * as scenarios from '../../fixtures/recordings/scenarios.js';
import type { CauseId } from '../../../src/types.js';

const check = (name: string, causes: CauseId[], build = scenarios.terminatingEndpoint) =>
  checkExpectations({ causes }, analyse(recording(build()))).find((c) => c.name === name)!;

test('the expected cause alone passes "no other cause named"', () => {
  assert.equal(check('no other cause named', ['terminating-endpoint']).passed, true);
});

test('a cause the scenario does not expect fails "no other cause named" and is listed', () => {
  const c = check('no other cause named', ['keepalive-reuse']);
  assert.deepEqual([c.passed, c.detail], [false, 'also named: terminating-endpoint']);
});

test('requests the prober cut as the run ended are not held against the scenario', () => {
  const spec = () => ({ ...scenarios.unexplained(), failures: [{ s: 15.1, error: 'unfinished' as const }] });
  const named = analyse(recording(spec())).incidents.flatMap((i) => i.causes.map((c) => c.id));
  assert.deepEqual(named, ['unknown'], 'the cut requests form an incident of their own');
  assert.equal(check('no other cause named', ['terminating-endpoint'], spec).passed, true);
});
