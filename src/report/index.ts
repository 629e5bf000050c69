// Summary -> text in the format asked for. Every renderer is a plain function of the summary.
import type { Summary } from '../types.js';
import { renderTerminal } from './terminal.js';
import { renderMarkdown } from './markdown.js';
import { renderJunit } from './junit.js';
import { renderHtml } from './html.js';

import type { Format } from './formats.js';

export { FORMATS, type Format } from './formats.js';

export { renderMarkdown, renderJunit, renderHtml };

export function render(summary: Summary, format: Format): string {
  switch (format) {
    case 'table':
      return renderTerminal(summary);
    case 'json':
      return JSON.stringify(summary, null, 2) + '\n';
    case 'md':
      return renderMarkdown(summary);
    case 'junit':
      return renderJunit(summary);
    case 'html':
      return renderHtml(summary);
  }
}
