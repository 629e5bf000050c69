// Failure windows -> incidents: the cluster transitions around each one and the causes they prove.
import type { ClusterEvent, ConfigSnapshot, FailureWindow, Incident, InstanceCount, ProbeConfig, Sample } from '../types.js';
import { diagnose, type IncidentInput } from './causes/index.js';
import { incidentNotes } from './incident-notes.js';

/** The transitions kept with an incident: from this long before it... */
export const BEFORE_MS = 10_000;
/** ...to this long after it. */
export const AFTER_MS = 2000;
const MAX_EVENTS = 60;

export interface IncidentData {
  failureWindows: FailureWindow[];
  failures: Sample[];
  events: ClusterEvent[];
  snapshots: ConfigSnapshot[];
  connection: ProbeConfig['connection'];
  /** Whether the cluster was watched at all (changes what `unknown` says). */
  watched: boolean;
  /** Per instance (pod) answers of the run, when the responses named their pod. */
  instances?: Record<string, InstanceCount>;
  /** The probe's URL and timeout (the path to the pods; what a timeout may hide). */
  probe?: { url: string; timeoutMs: number };
}

export const byTime = (events: ClusterEvent[]): ClusterEvent[] => [...events].sort((a, b) => a.at - b.at);

/** Transitions in the window around [start, end]; the state found at start (initial list) is not news. */
export function nearbyEvents(events: ClusterEvent[], start: number, end: number): ClusterEvent[] {
  return events.filter((e) => e.at >= start - BEFORE_MS && e.at <= end + AFTER_MS && e.initial !== true).slice(0, MAX_EVENTS);
}

export function inputOf(
  w: FailureWindow, failures: Sample[], connection: ProbeConfig['connection'], instances?: Record<string, InstanceCount>, probe?: IncidentData['probe'],
): IncidentInput {
  const samples = failures.filter((s) => s.intended >= w.start && s.intended <= w.end);
  return { start: w.start, end: w.end, failed: w.count, kinds: { ...w.kinds }, modes: { ...w.modes }, samples, connection, ...(instances ? { instances } : {}), ...(probe ?? {}) };
}

export function buildIncidents(d: IncidentData): Incident[] {
  const events = byTime(d.events);
  const snapshots = [...d.snapshots].sort((a, b) => a.at - b.at);
  return d.failureWindows.map((w) => {
    const input = inputOf(w, d.failures, d.connection, d.instances, d.probe);
    const nearby = nearbyEvents(events, w.start, w.end);
    const causes = diagnose(input, events, snapshots, nearby, d.watched);
    const notes = incidentNotes(input, snapshots);
    return { ...w, kinds: { ...w.kinds }, modes: { ...w.modes }, failed: w.count, causes, ...(notes.length ? { notes } : {}), events: nearby };
  });
}
