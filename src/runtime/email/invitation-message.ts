/**
 * The invitation e-mail: subject, plain text and HTML from what the invitation says — the organization, who invites,
 * the roles, the expiry and the accept link. Every value a user chose (the organization's name, the inviter's name,
 * role names) is HTML-escaped in the HTML part, stripped of line breaks and control characters wherever it could
 * reach a header (the subject, the sender's display name), stripped of bidirectional and zero-width characters (a
 * right-to-left override never reorders what the reader sees: contract/invisible-text.ts), and never a link: a URL,
 * an address or a host name in a name is written so no mail client makes it one (`evil[.]example`, `https[:]//`) —
 * the accept link is the only link the e-mail holds. A name cannot add a header, a recipient, markup or a link.
 */
import { withoutBidiOrZeroWidth } from '../../contract/text/invisible-text.js';

/** What an invitation e-mail says. */
export interface InvitationMessageInput {
  readonly organization: string;
  /** Who invites: their name, else their e-mail, else their id (never empty in the mail). */
  readonly inviter: string;
  readonly roles: readonly string[];
  /** ISO 8601. */
  readonly expiresOn: string;
  readonly acceptUrl: string;
}

/** The composed e-mail, ready for any sender: `link` the accept link it holds (its only link). */
export interface InvitationMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly link?: string;
}

/** The longest subject written (RFC 5322 recommends lines under 78 characters; a name is cut, never wrapped). */
const MAX_SUBJECT = 160;
/** The longest user-supplied value shown in one place. */
const MAX_VALUE = 200;

/**
 * `value` made safe for one header line: CR, LF, every other control character (C0, DEL, C1) and the Unicode line
 * and paragraph separators become a space, runs of spaces one, the whole trimmed and cut to `max`.
 *
 * @example
 * ```ts
 * headerSafe('Acme\r\nBcc: all@example.com'); // 'Acme Bcc: all@example.com'
 * ```
 */
export function headerSafe(value: string, max = MAX_VALUE): string {
  const flat = withoutBidiOrZeroWidth(value).replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g,
    ' ',
  );
  return flat.replace(/\s+/g, ' ').trim().slice(0, max);
}

/**
 * `value` (a name a user chose) written so that no mail client makes a link of it: a scheme's `:` and every dot
 * between two characters of a host name are bracketed (`https[:]//evil[.]example/login`, `sales@evil[.]example`,
 * `www[.]evil[.]example`) — the convention security advisories use to show a URL nobody can click. Text that is no
 * host name (`Acme Inc.`, `v2.0`) reads as it was written.
 *
 * @example
 * ```ts
 * notALink('Visit https://evil.example/login'); // 'Visit https[:]//evil[.]example/login'
 * notALink('Acme Inc.'); // 'Acme Inc.'
 * ```
 */
export function notALink(value: string): string {
  // A dot is bracketed only before a label holding a letter (every top-level domain has one): `v2.0` keeps its dot.
  return value
    .replace(/([a-z][a-z0-9+.-]*):(?=\/\/)/gi, '$1[:]')
    .replace(/([\p{L}\p{N}_-])\.(?=[\p{L}\p{N}-]*\p{L})/gu, '$1[.]');
}

/**
 * `value` as HTML text: `&`, `<`, `>`, `"` and `'` as character references (what OWASP's output encoding names for
 * both element content and quoted attributes).
 *
 * @example
 * ```ts
 * escapeHtml('<b>"Acme" & Co</b>'); // '&lt;b&gt;&quot;Acme&quot; &amp; Co&lt;/b&gt;'
 * ```
 */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The expiry as people read it, in UTC (the server knows no reader's zone). */
const whenOf = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
};

/**
 * The invitation e-mail for `input`. The accept link is only ever an `https:` or `http:` URL (anything else is
 * dropped from the HTML's `href`: a `javascript:` link is never clickable).
 *
 * @example
 * ```ts
 * const m = invitationMessage({ organization: 'Acme', inviter: 'Olga', roles: ['Member'], expiresOn: '2026-01-08T00:00:00Z', acceptUrl: 'https://app.example.com/?invitation=…' });
 * m.subject; // 'Olga invited you to Acme'
 * ```
 */
export function invitationMessage(input: InvitationMessageInput): InvitationMessage {
  const organization = notALink(headerSafe(input.organization)) || 'an organization';
  const inviter = notALink(headerSafe(input.inviter)) || 'A member';
  const roles = input.roles.map((r) => headerSafe(r)).filter((r) => r !== '');
  const as = roles.length > 0 ? roles.join(', ') : 'a member';
  const expires = whenOf(input.expiresOn);
  const link = safeLink(input.acceptUrl);
  const subject = headerSafe(`${inviter} invited you to ${organization}`, MAX_SUBJECT);
  const text = [
    `${inviter} invited you to join ${organization} as ${as}.`,
    '',
    `Accept the invitation: ${link ?? '(ask them for the link)'}`,
    '',
    `The invitation expires ${expires}. If you did not expect it, ignore this e-mail.`,
    '',
  ].join('\n');
  const h = escapeHtml;
  const button = link
    ? `<p><a href="${h(link)}">Accept the invitation</a></p><p>Or open this link: ${h(link)}</p>`
    : '<p>Ask them for the link.</p>';
  const html = [
    '<!DOCTYPE html><html><body>',
    `<p><strong>${h(inviter)}</strong> invited you to join <strong>${h(organization)}</strong> as ${h(as)}.</p>`,
    button,
    `<p>The invitation expires ${h(expires)}. If you did not expect it, ignore this e-mail.</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html, ...(link ? { link } : {}) };
}

/** `url` when it is an absolute `https:`/`http:` URL without control characters, else undefined. */
function safeLink(url: string): string | undefined {
  if (/[\u0000-\u001f\u007f\s]/.test(url)) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}
