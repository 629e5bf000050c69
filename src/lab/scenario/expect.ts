// Checks a probe's summary against what the scenario says the run must show.
import type { Summary } from '../../types.js';
import type { Expectation } from './scenario.js';

export interface Check {
  name: string;
  passed: boolean;
  detail: string;
}

/** One failure, one cause: no incident may name a cause the scenario does not expect (or `unknown`). */
function noOtherCause(expected: string[], s: Summary): Check {
  // The prober's own stall is not the app's; requests the prober cut as the run ended are not a cluster failure.
  const allowed = new Set([...expected, 'prober-stall']);
  const judged = s.incidents.filter((i) => Object.keys(i.kinds).some((k) => k !== 'unfinished'));
  const stray = [...new Set(judged.flatMap((i) => i.causes.map((c) => c.id)).filter((id) => !allowed.has(id)))];
  return { name: 'no other cause named', passed: stray.length === 0, detail: stray.length ? `also named: ${stray.join(', ')}` : 'none' };
}

export function checkExpectations(e: Expectation, s: Summary): Check[] {
  const checks: Check[] = [];
  const dropped = s.totals.failed + s.totals.late;
  if (e.dropped !== undefined) {
    const passed = e.dropped === 'some' ? dropped > 0 : dropped === e.dropped;
    checks.push({ name: `dropped requests ${e.dropped === 'some' ? '> 0' : `= ${e.dropped}`}`, passed, detail: `${dropped} dropped of ${s.totals.scheduled}` });
  }
  const found = new Set(s.incidents.flatMap((i) => i.causes.map((c) => c.id)));
  for (const id of e.causes ?? []) {
    checks.push({ name: `cause ${id} named`, passed: found.has(id), detail: found.size ? `causes found: ${[...found].join(', ')}` : 'no cause found' });
  }
  if (e.causes?.length) checks.push(noOtherCause(e.causes, s));
  if (e.splits === 'pass') {
    const failed = s.splits.filter((sp) => !sp.passed && sp.approximate === undefined);
    checks.push({ name: 'observed splits match declared weights', passed: s.splits.length > 0 && failed.length === 0, detail: `${s.splits.length} split(s) checked, ${failed.length} mismatched` });
  }
  if (e.versions) {
    const got = Object.keys(s.versions).sort();
    const want = [...e.versions].sort();
    checks.push({ name: `versions answering = ${want.join(', ')}`, passed: got.join() === want.join(), detail: `answered: ${got.join(', ') || 'none'}` });
  }
  if (e.finalVersion !== undefined) {
    // The scenario's probe asks the gate for it (expectVersion), so the verdict is the gate's own.
    const gate = s.gate.checks.find((c) => c.id === 'expect-version');
    const detail = !gate ? 'the probe did not ask the gate for a final version' : gate.passed ? 'all final responses from it' : gate.reason ?? '';
    checks.push({ name: `final version ${e.finalVersion}`, passed: gate?.passed ?? false, detail });
  }
  if (e.failuresOnlyOn) {
    const modes = new Set(s.failureWindows.flatMap((w) => Object.keys(w.modes)));
    const stray = [...modes].filter((m) => !e.failuresOnlyOn!.includes(m as never));
    checks.push({ name: `failures only on ${e.failuresOnlyOn.join('/')} connections`, passed: modes.size > 0 && stray.length === 0, detail: `failures on: ${[...modes].join(', ') || 'none'}` });
  }
  if (e.rollout) checks.push(rolloutCheck(e.rollout, s));
  return checks;
}

/**
 * How the Argo Rollout ended, from the probe's own recorded cluster events: promoted when it was seen
 * progressing and ended Healthy; aborted when it ended Degraded with Argo's abort message.
 */
function rolloutCheck(want: 'promoted' | 'aborted', s: Summary): Check {
  const seen = (s.clusterEvents ?? []).flatMap((e) => (e.kind === 'rollout' && e.flavor === 'argo' ? [e] : []));
  const last = seen.at(-1);
  const progressed = seen.some((e) => e.phase === 'Progressing' || e.phase === 'Paused');
  const aborted = last?.phase === 'Degraded' && /abort/i.test(last.message ?? '');
  const passed = want === 'promoted' ? progressed && last?.phase === 'Healthy' : aborted;
  const detail = last ? `last seen ${last.phase ?? 'no phase'}${last.message ? `: ${last.message}` : ''} (${seen.length} rollout event(s))` : 'no Argo rollout event recorded (is `watch: rollout: argo/NAME` set?)';
  return { name: `Argo rollout ${want}`, passed, detail };
}
