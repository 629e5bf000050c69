import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, recording } from '../fixtures/recordings/build.js';
import * as scenarios from '../fixtures/recordings/scenarios.js';
import { FORMATS } from '../../src/report/formats.js';
import { render } from '../../src/report/index.js';
import { renderFormat } from '../../src/report/render-format.js';

test('rendering one format with only its renderer loaded gives the same text as render(), in every format', async () => {
  const summary = analyse(recording(scenarios.terminatingEndpoint()));
  for (const format of FORMATS) assert.equal(await renderFormat(summary, format), render(summary, format), format);
});
