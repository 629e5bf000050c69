import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyse, recording } from '../fixtures/recordings/build.js';
import * as scenarios from '../fixtures/recordings/scenarios.js';
import { renderMarkdown, cell } from '../../src/report/markdown.js';
import { appendStepSummary } from '../../src/cli/output.js';
import { render } from '../../src/report/index.js';

const failing = () => analyse(recording(scenarios.terminatingEndpoint()));

test('the markdown verdict, incident cause, evidence and fix are all there', () => {
  const md = renderMarkdown(failing());
  assert.match(md, /^## ❌ zdprobe: gate failed — 3 of 400 requests dropped\n/);
  assert.match(md, /### Incidents \(1\)/);
  assert.match(md, /\*\*`terminating-endpoint`\*\*/);
  assert.match(md, /^- pod web-5d8f-old01 got its delete at /m);
  assert.match(md, /^\*\*Fix:\*\* add a preStop hook/m);
  assert.match(md, /`deploy-no-prestop`/);
  assert.match(md, /### Versions/);
});

test('every markdown table row has as many cells as its header', () => {
  const md = renderMarkdown(analyse(recording(scenarios.routeConfig())));
  const tables = md.split(/\n\n/).filter((b) => b.startsWith('|'));
  assert.ok(tables.length >= 3, 'totals, splits, findings and versions tables');
  for (const t of tables) {
    const widths = t.split('\n').map((row) => row.replace(/\\\|/g, '').split('|').length);
    assert.ok(widths.every((w) => w === widths[0]), t);
  }
  assert.match(md, /### Traffic splits/);
});

test('a passing run says so and has no incident section', () => {
  const md = renderMarkdown(analyse(recording(scenarios.cleanRollout())));
  assert.match(md, /^## ✅ zdprobe: gate passed — no request dropped/);
  assert.doesNotMatch(md, /### Incidents/);
});

test('table cells escape pipes and newlines', () => {
  assert.equal(cell('a|b\nc'), 'a\\|b c');
});

test('the markdown report is appended to GITHUB_STEP_SUMMARY when it is set, and nothing happens when not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zd-md-'));
  try {
    const file = join(dir, 'summary.md');
    writeFileSync(file, 'before\n');
    const s = failing();
    await appendStepSummary(s, file);
    await appendStepSummary(s, undefined);
    const text = readFileSync(file, 'utf8');
    assert.ok(text.startsWith('before\n## ❌ zdprobe'));
    assert.equal(text.split('## ❌').length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('render knows every format', () => {
  const s = failing();
  for (const f of ['table', 'json', 'md', 'junit', 'html'] as const) assert.ok(render(s, f).length > 100, f);
  assert.deepEqual(JSON.parse(render(s, 'json')).incidents[0].causes.map((c: { id: string }) => c.id), ['terminating-endpoint']);
});
