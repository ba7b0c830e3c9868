/**
 * Whether `value` is a page a browser may be sent to from the config (`tenants.acceptUrl`,
 * `tenants.billing.returnUrl`): an absolute https URL without credentials or fragment — http only on a loopback host
 * (a local page under `atakora dev`) — and no character that would break out of an attribute or a header.
 *
 * @example
 * ```ts
 * isPageUrl('https://app.contoso.com/join'); // true
 * isPageUrl('http://app.contoso.com/');      // false
 * ```
 */
export function isPageUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  return (
    (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) &&
    url.username === '' &&
    url.password === '' &&
    url.hash === '' &&
    !/[\s<>"']/.test(value)
  );
}
