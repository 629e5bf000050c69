// What every cause rule sees: one incident, the whole run's cluster events and config snapshots.
import type { Cause, ClusterEvent, ConfigSnapshot, ConnMode, InstanceCount, ProbeConfig, Sample } from '../../types.js';

export interface IncidentInput {
  start: number;
  end: number;
  failed: number;
  kinds: Record<string, number>;
  modes: Partial<Record<ConnMode, number>>;
  /** The failures of this window the summary kept individually (may be fewer than `failed`). */
  samples: Sample[];
  /** 'both' alternates reuse/new per request, so a clean 'new' half in a window is evidence. */
  connection: ProbeConfig['connection'];
  /** The run's answers per instance (pod), when --instance-from names them: measured, not assumed, propagation. */
  instances?: Record<string, InstanceCount>;
  /** The probe's URL and its own timeout: what the path to the pods was, and what a timeout may hide. */
  url?: string;
  timeoutMs?: number;
}

/** A cause rule is pure: same inputs, same answer. Events are sorted by local receipt time. */
export type CauseRule = (incident: IncidentInput, events: ClusterEvent[], snapshots: ConfigSnapshot[]) => Cause | undefined;
