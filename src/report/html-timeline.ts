// The HTML report's inline SVG: requests per second stacked by version, failures in red, the p99 line,
// incident windows shaded, and cluster events as markers with tooltips (SVG <title>).
import type { ClusterEvent, Summary } from '../types.js';
import { clockTime } from '../format-time.js';
import { esc } from './xml.js';

const W = 1100;
const H = 360;
const M = { left: 48, right: 56, top: 24, bottom: 60 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;
const MARKER_Y = H - M.bottom + 36;
const MAX_MARKERS = 400;

// Every colour means one thing: versions never share a hue with failures, late, p99, the deploy
// command or a kind of cluster event (the old palette drew version 1 and pod events in one blue).
export const PALETTE = ['#1f77b4', '#2ca02c', '#9467bd', '#17becf', '#bcbd22', '#e377c2', '#8c564b', '#aec7e8'];
export const FAIL = '#d62728';
export const LATE = '#7f7f7f';
export const P99 = '#ff7f0e';
export const COMMAND = '#000000';
export const KIND_COLOR: Record<string, string> = { pod: '#393b79', endpoint: '#637939', route: '#7b4173', rollout: '#7b4173', event: '#843c39', watch: '#bdbdbd', deployment: '#8c6d31', replicaset: '#8c6d31', service: '#5254a3', node: '#d6616b', pdb: '#e7969c' };

const niceMax = (x: number): number => {
  if (x <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((v) => v >= x) ?? 10 * p;
};
const f1 = (x: number): string => x.toFixed(1);

export function versionColors(s: Summary): Map<string, string> {
  const order = s.versionSpans.map((v) => v.version);
  for (const p of s.timeline) for (const v of Object.keys(p.versions)) if (!order.includes(v)) order.push(v);
  return new Map(order.map((v, i) => [v, PALETTE[i % PALETTE.length]!]));
}

// Shown on the marker line itself, not among the event's own fields.
const COMMON = new Set(['at', 'serverAt', 'kind', 'type', 'namespace', 'name', 'initial']);

function eventText(e: ClusterEvent): string {
  const fields = Object.entries(e).filter(([k, v]) => v !== null && !COMMON.has(k));
  const d = fields.slice(0, 6).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' ');
  return `${clockTime(e.at)} ${e.kind} ${e.name} ${e.type}${d ? ` (${d})` : ''}`;
}

interface Scale { x: (ms: number) => number; secs: number }

function bars(s: Summary, sc: Scale, yMax: number, colors: Map<string, string>): string[] {
  const bw = Math.max(1, PW / sc.secs - 1);
  const out: string[] = [];
  for (const p of s.timeline) {
    const x = sc.x(s.startedAt + p.t * 1000);
    let y = M.top + PH;
    const stack: Array<[string, number, string]> = [...Object.entries(p.versions).map(([v, n]) => [colors.get(v)!, n, `version ${v}`] as [string, number, string])];
    const untagged = p.ok - Object.values(p.versions).reduce((a, b) => a + b, 0);
    if (untagged > 0) stack.push(['#c7c7c7', untagged, 'ok, untagged']);
    stack.push([FAIL, p.failed, 'failed'], [LATE, p.late, 'late']);
    for (const [color, n, label] of stack) {
      if (n <= 0) continue;
      const h = (n / yMax) * PH;
      y -= h;
      out.push(`<rect x="${f1(x)}" y="${f1(y)}" width="${f1(bw)}" height="${f1(h)}" fill="${color}"><title>+${p.t}s ${esc(label)}: ${n}</title></rect>`);
    }
  }
  return out;
}

function p99Line(s: Summary, sc: Scale): { svg: string[]; max: number } {
  const max = niceMax(Math.max(0, ...s.timeline.map((p) => p.p99)));
  const pts = s.timeline.filter((p) => p.sent > 0).map((p) => `${f1(sc.x(s.startedAt + p.t * 1000 + 500))},${f1(M.top + PH - (p.p99 / max) * PH)}`);
  const svg = pts.length ? [`<polyline class="p99" points="${pts.join(' ')}" fill="none" stroke="${P99}" stroke-width="2"/>`] : [];
  return { svg, max };
}

function axes(sc: Scale, yMax: number, p99Max: number): string[] {
  const out = [`<line x1="${M.left}" y1="${M.top + PH}" x2="${M.left + PW}" y2="${M.top + PH}" stroke="#333"/>`];
  const step = niceMax(sc.secs / 12);
  for (let t = 0; t <= sc.secs; t += step) {
    const x = M.left + (t / sc.secs) * PW;
    out.push(`<line x1="${f1(x)}" y1="${M.top + PH}" x2="${f1(x)}" y2="${M.top + PH + 4}" stroke="#333"/><text x="${f1(x)}" y="${M.top + PH + 16}" text-anchor="middle">+${t}s</text>`);
  }
  for (let i = 0; i <= 4; i++) {
    const y = M.top + PH - (i / 4) * PH;
    out.push(`<line x1="${M.left}" y1="${f1(y)}" x2="${M.left + PW}" y2="${f1(y)}" stroke="#eee"/>`);
    out.push(`<text x="${M.left - 6}" y="${f1(y + 4)}" text-anchor="end">${+(yMax * i / 4).toFixed(1)}</text>`);
    out.push(`<text x="${M.left + PW + 6}" y="${f1(y + 4)}" fill="${P99}">${+(p99Max * i / 4).toFixed(1)}</text>`);
  }
  out.push(`<text x="${M.left - 40}" y="${M.top - 12}">req/s</text><text x="${M.left + PW + 6}" y="${M.top - 12}" fill="${P99}">p99 ms</text>`);
  return out;
}

function markers(s: Summary, events: ClusterEvent[], sc: Scale): string[] {
  const shown = events.filter((e) => e.initial !== true && e.at >= s.startedAt && e.at <= s.endedAt).slice(0, MAX_MARKERS);
  const out = [`<text x="${M.left - 6}" y="${MARKER_Y + 4}" text-anchor="end">cluster</text>`, `<line x1="${M.left}" y1="${MARKER_Y}" x2="${M.left + PW}" y2="${MARKER_Y}" stroke="#ccc"/>`];
  for (const e of shown) {
    const x = f1(sc.x(e.at));
    const color = KIND_COLOR[e.kind] ?? '#333';
    out.push(`<g class="marker"><line x1="${x}" y1="${M.top}" x2="${x}" y2="${M.top + PH}" stroke="${color}" stroke-opacity="0.25"/><circle cx="${x}" cy="${MARKER_Y}" r="4" fill="${color}"><title>${esc(eventText(e))}</title></circle></g>`);
  }
  for (const g of s.cluster.gaps) {
    const x1 = sc.x(Math.max(g.start, s.startedAt));
    out.push(`<rect x="${f1(x1)}" y="${MARKER_Y - 6}" width="${f1(Math.max(2, sc.x(Math.min(g.end, s.endedAt)) - x1))}" height="12" fill="#7f7f7f" fill-opacity="0.5"><title>${esc(`watch gap ${clockTime(g.start)}–${clockTime(g.end)}: ${g.reason}`)}</title></rect>`);
  }
  return out;
}

/** The deploy command's start and end as labelled lines, readable without hovering. */
function commandMarks(s: Summary, sc: Scale): string[] {
  const c = s.command;
  if (!c) return [];
  const marks: Array<[number, string]> = [[c.startedAt, 'command started']];
  if (c.endedAt !== null) marks.push([c.endedAt, `command ended (${c.exitCode ?? c.signal})`]);
  return marks.map(([at, label]) => {
    const x = f1(sc.x(Math.min(Math.max(at, s.startedAt), s.endedAt)));
    return `<g class="command"><line x1="${x}" y1="${M.top - 6}" x2="${x}" y2="${M.top + PH}" stroke="${COMMAND}" stroke-width="1.5" stroke-dasharray="6 3"/><text x="${x}" y="${M.top - 9}" text-anchor="middle" fill="${COMMAND}">${esc(label)} ${esc(clockTime(at))}</text></g>`;
  });
}

function shading(s: Summary, sc: Scale): string[] {
  return s.incidents.map((inc, i) => {
    const x1 = sc.x(inc.start - 300);
    const w = Math.max(4, sc.x(inc.end + 300) - x1);
    return `<rect class="incident" x="${f1(x1)}" y="${M.top}" width="${f1(w)}" height="${PH}" fill="${FAIL}" fill-opacity="0.18" stroke="${FAIL}" stroke-dasharray="3 2"><title>incident ${i + 1}: ${inc.failed} failed, ${esc(inc.causes.map((c) => c.id).join(', '))}</title></rect>`;
  });
}

/** The whole chart as one <svg> element. */
export function timelineSvg(s: Summary, events: ClusterEvent[]): string {
  const secs = Math.max(1, Math.ceil((s.endedAt - s.startedAt) / 1000), (s.timeline.at(-1)?.t ?? 0) + 1);
  const sc: Scale = { secs, x: (ms) => M.left + ((ms - s.startedAt) / 1000 / secs) * PW };
  const yMax = niceMax(Math.max(1, ...s.timeline.map((p) => p.ok + p.failed + p.late)));
  const colors = versionColors(s);
  const p99 = p99Line(s, sc);
  const parts = [...axes(sc, yMax, p99.max), ...bars(s, sc, yMax, colors), ...shading(s, sc), ...p99.svg, ...markers(s, events, sc), ...commandMarks(s, sc)];
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="requests per second by version, failures, p99 latency and cluster events" font-family="sans-serif" font-size="11">\n${parts.join('\n')}\n</svg>`;
}
