// What a rule is, and the small factories every rule uses to build its findings.
import type { Finding, KubeObject, Severity, SourcedObject } from '../../types.js';
import type { Index } from './index-objects.js';

/** The documented face of a rule: ids are a contract, examples are real YAML that tests run. */
export interface RuleInfo {
  id: string;
  /** Severity when the rule's condition is certain; some findings are reported one level lower. */
  severity: Severity;
  title: string;
  description: string;
  /** A manifest set that triggers the rule. */
  bad: string;
  /** The same set, fixed: the rule stays silent. */
  good: string;
}

export interface Rule extends RuleInfo {
  check(ix: Index): Finding[];
}

const ORDER: Severity[] = ['error', 'warning', 'info'];

/** One level less sure: error -> warning -> info -> dropped. */
export function lower(sev: Severity): Severity | null {
  return ORDER[ORDER.indexOf(sev) + 1] ?? null;
}

export function severityRank(sev: Severity): number {
  return ORDER.indexOf(sev);
}

export function objectRef(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '(unnamed)';
  return ns ? `${obj.kind ?? '?'}/${ns}/${name}` : `${obj.kind ?? '?'}/${name}`;
}

export function finding(
  id: string, severity: Severity, src: SourcedObject, message: string, fix: string,
): Finding {
  return {
    id, severity, object: objectRef(src.obj),
    ...(src.file === undefined ? {} : { file: src.file }),
    ...(src.line === undefined ? {} : { line: src.line }),
    message, fix,
  };
}
