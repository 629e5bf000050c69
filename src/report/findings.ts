// Findings -> text: a terminal table, JSON, or SARIF 2.1.0 for code-scanning annotations.
import Table from 'cli-table3';
import type { Finding, Severity } from '../types.js';
import type { RuleInfo } from '../analyze/rules/index.js';
import { TOOL_VERSION } from '../version.js';

export type FindingsFormat = 'table' | 'json' | 'sarif';

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

const where = (f: Finding): string => (f.file === undefined ? '(cluster)' : `${f.file}${f.line === undefined ? '' : `:${f.line}`}`);

function countLine(findings: Finding[]): string {
  const c = countBySeverity(findings);
  return `${c.error} error(s), ${c.warning} warning(s), ${c.info} info`;
}

/** A table without colours, so it reads the same in a terminal and in CI logs. */
export function renderFindingsTable(findings: Finding[]): string {
  if (findings.length === 0) return 'No findings.\n';
  const table = new Table({
    head: ['severity', 'rule', 'object', 'where', 'problem and fix'],
    colWidths: [null, null, null, null, 64],
    wordWrap: true,
    style: { head: [], border: [] },
  });
  for (const f of findings) table.push([f.severity, f.id, f.object, where(f), `${f.message}\nfix: ${f.fix}`]);
  return `${table.toString()}\n${countLine(findings)}\n`;
}

export function renderFindingsJson(findings: Finding[]): string {
  const doc = { tool: { name: 'zdprobe', version: TOOL_VERSION }, counts: countBySeverity(findings), findings };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

// SARIF wants a URI reference: forward slashes, each segment percent-encoded.
const toUri = (file: string): string => file.replace(/\\/g, '/').split('/').map(encodeURIComponent).join('/');

function sarifRule(r: RuleInfo): object {
  return {
    id: r.id,
    name: r.id,
    shortDescription: { text: r.title },
    fullDescription: { text: r.description },
    help: {
      text: r.description,
      markdown: `${r.description}\n\nBad:\n\n\`\`\`yaml\n${r.bad}\`\`\`\n\nGood:\n\n\`\`\`yaml\n${r.good}\`\`\``,
    },
    defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
  };
}

function sarifResult(f: Finding, ruleIndex: number): object {
  const physical = f.file !== undefined && !f.file.startsWith('<')
    ? [{ physicalLocation: { artifactLocation: { uri: toUri(f.file) }, ...(f.line === undefined ? {} : { region: { startLine: f.line } }) } }]
    : [];
  const location = { ...(physical[0] ?? {}), logicalLocations: [{ fullyQualifiedName: f.object, kind: 'resource' }] };
  return {
    ruleId: f.id,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    level: SARIF_LEVEL[f.severity],
    message: { text: `${f.object}: ${f.message}. Fix: ${f.fix}.` },
    locations: [location],
  };
}

/** SARIF 2.1.0 with one run; rules are listed so viewers can show each rule's help. */
export function renderFindingsSarif(findings: Finding[], rules: readonly RuleInfo[]): string {
  const ids = rules.map((r) => r.id);
  const doc = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'zdprobe', version: TOOL_VERSION, rules: rules.map(sarifRule) } },
      results: findings.map((f) => sarifResult(f, ids.indexOf(f.id))),
    }],
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function renderFindings(findings: Finding[], format: FindingsFormat, rules: readonly RuleInfo[]): string {
  if (format === 'json') return renderFindingsJson(findings);
  if (format === 'sarif') return renderFindingsSarif(findings, rules);
  return renderFindingsTable(findings);
}
