// Cause ids are a contract: every rule is documented in docs/causes.md and allowed by the summary schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CAUSE_RULES } from '../../src/analyze/index.js';

const DOCS = readFileSync(new URL('../../../docs/causes.md', import.meta.url), 'utf8');
const SCHEMA = JSON.parse(readFileSync(new URL('../../../docs/schema/summary.schema.json', import.meta.url), 'utf8'));
const ALL = [...CAUSE_RULES.map((r) => r.id), 'prober-stall', 'unknown'];

for (const id of ALL) {
  test(`${id} has its own section in docs/causes.md`, () => {
    assert.ok(DOCS.includes(`\n## \`${id}\`\n`), `no "## \`${id}\`" heading in docs/causes.md`);
  });
}

test('the summary schema allows exactly the cause ids there are', () => {
  assert.deepEqual([...SCHEMA.$defs.cause.properties.id.enum].sort(), [...ALL].sort());
});
