// The HTML report in a real browser: headless Chromium takes a screenshot, and the chart is really drawn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { analyse, recording } from '../fixtures/recordings/build.js';
import * as scenarios from '../fixtures/recordings/scenarios.js';
import { renderHtml } from '../../src/report/html.js';
import { countColor, decodePng } from './png.js';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const TIMEOUT_MS = 90_000;

function findChromium(): string | undefined {
  const dirs = (process.env['PATH'] ?? '').split(delimiter).filter(Boolean);
  for (const name of NAMES) {
    for (const dir of ['/usr/bin', ...dirs]) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch { /* next */ }
    }
  }
  return undefined;
}

function screenshot(bin: string, page: string, png: string, profile: string): Promise<{ code: number | null; stderr: string }> {
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`, `--screenshot=${png}`, '--window-size=1200,900', `file://${page}`];
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, stderr }); });
  });
}

const chromium = findChromium();
const skip = !chromium && !process.env['CI'] ? 'chromium is not installed (apt-get install -y chromium); CI is unset' : false;

test('headless Chromium renders the HTML report: a non-blank screenshot with the chart\'s colours', { skip, timeout: TIMEOUT_MS + 10_000 }, async () => {
  assert.ok(chromium, 'CI is set, so chromium must be installed (apt-get install -y chromium)');
  const dir = mkdtempSync(join(tmpdir(), 'zd-html-'));
  try {
    const page = join(dir, 'report.html');
    const png = join(dir, 'report.png');
    writeFileSync(page, renderHtml(analyse(recording(scenarios.terminatingEndpoint()))));
    const run = await screenshot(chromium, page, png, join(dir, 'profile'));
    assert.equal(run.code, 0, run.stderr);
    assert.ok(statSync(png).size > 10_000, 'a real image, not an empty page');
    const img = decodePng(readFileSync(png));
    assert.deepEqual([img.width, img.height], [1200, 900]);
    const total = img.width * img.height;
    const white = countColor(img, [255, 255, 255], 8);
    assert.ok(total - white > total * 0.1, `not blank: ${total - white} of ${total} pixels are not white`);
    assert.ok(countColor(img, [31, 119, 180], 12) > 5000, 'version 1 bars drawn (#1f77b4)');
    assert.ok(countColor(img, [44, 160, 44], 12) > 5000, 'version 2 bars drawn (#2ca02c)');
    assert.ok(countColor(img, [214, 39, 40], 20) > 200, 'failures drawn in red');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
