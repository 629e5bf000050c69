// Summary -> text in the format asked for. Every renderer is a plain function of the summary.
import type { Summary } from '../types.js';
import { renderTerminal } from './terminal.js';

export const FORMATS = ['table', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export function render(summary: Summary, format: Format): string {
  switch (format) {
    case 'table':
      return renderTerminal(summary);
    case 'json':
      return JSON.stringify(summary, null, 2) + '\n';
  }
}
