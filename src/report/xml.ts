// Minimal XML escaping for the JUnit and HTML writers (text and attribute values).
const MAP: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// Characters XML 1.0 forbids are dropped rather than escaped.
// eslint-disable-next-line no-control-regex
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export const esc = (v: unknown): string => String(v).replace(INVALID, '').replace(/[&<>"']/g, (c) => MAP[c]!);
