// Secrets never reach a recording or a report.

const secretHeader = /^(authorization|proxy-authorization|cookie|set-cookie)$|auth|token|secret|api-?key|password|session|signature/i;

/** Header values that must never reach a recording or a report. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, secretHeader.test(k) ? '<redacted>' : v]));
}

/** A URL without credentials and with secret-looking query values hidden (e.g. ?token=…). */
export function redactUrl(href: string): string {
  const url = new URL(href);
  url.username = '';
  url.password = '';
  for (const key of [...url.searchParams.keys()]) if (secretHeader.test(key)) url.searchParams.set(key, '<redacted>');
  return url.href;
}
