// Summary -> text in one format, loading only that format's renderer: a `probe` that prints a table
// never loads the Markdown, JUnit and HTML renderers (render() in index.ts loads them all).
import type { Summary } from '../types.js';
import type { Format } from './formats.js';

export async function renderFormat(summary: Summary, format: Format): Promise<string> {
  switch (format) {
    case 'table':
      return (await import('./terminal.js')).renderTerminal(summary);
    case 'json':
      return JSON.stringify(summary, null, 2) + '\n';
    case 'md':
      return (await import('./markdown.js')).renderMarkdown(summary);
    case 'junit':
      return (await import('./junit.js')).renderJunit(summary);
    case 'html':
      return (await import('./html.js')).renderHtml(summary);
  }
}
