/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote, CR or LF, quotes doubled. Text from outside the
 * CLI (a tenant's id or name in the registry, which a `TenantAdmin` or a sign-up writes) that a spreadsheet would
 * read as a formula — starting with `=`, `+`, `-`, `@`, a tab or CR — is prefixed with `'` so it stays text (OWASP,
 * "CSV Injection"). Numbers the CLI computed are given as `number` and written as they are (a negative byte count
 * is a number, not a formula).
 *
 * @example
 * ```ts
 * csvField('=HYPERLINK("http://x")'); // '"\'=HYPERLINK(""http://x"")"'
 * csvField(-12); // '-12'
 * ```
 */
export function csvField(v: string | number | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return String(v);
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Rows as a CSV document: CRLF line ends, as RFC 4180 has them, the last line ended too.
 *
 * @example
 * ```ts
 * csvDocument([['tenant', 'requests'], ['t1', 3]]); // 'tenant,requests\r\nt1,3\r\n'
 * ```
 */
export function csvDocument(rows: readonly (readonly (string | number | undefined)[])[]): string {
  return rows.map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
}
