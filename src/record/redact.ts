// Secrets never reach a recording or a report.

const secretHeader = /^(authorization|proxy-authorization|cookie|set-cookie)$|token|secret|api-?key|password|session/i;

/** Header values that must never reach a recording or a report. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, secretHeader.test(k) ? '<redacted>' : v]));
}
