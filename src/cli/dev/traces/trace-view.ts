import type { ViewRequest, ViewSpan } from './trace-store.js';

/** Where each dev worker serves its trace view (DESIGN §2). */
export const TRACE_VIEW_PATH = '/_atakora/traces';

/**
 * What the page may load: nothing but its own inline style (no script at all: a value that slipped through the
 * escaping still could not run), never framed.
 */
export const TRACE_VIEW_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
};

/**
 * HTML-escape a value for text and for a double-quoted attribute.
 *
 * @example
 * ```ts
 * escapeHtml('<b title="x">'); // '&lt;b title=&quot;x&quot;&gt;'
 * ```
 */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const fixed = (n: number, digits = 1) => (Math.round(n * 10 ** digits) / 10 ** digits).toString();

/**
 * The trace view: one row per request, newest first (time, route, status, duration, RU, tenant, component and
 * operation, caller), each opening to its spans on a time line with their attributes. Every value is escaped;
 * the page has no script.
 *
 * @example
 * ```ts
 * res.end(traceViewHtml(store.requests(), 'func-shop-dev-x1'));
 * ```
 */
export function traceViewHtml(requests: readonly ViewRequest[], app: string): string {
  const e = escapeHtml;
  const rows = requests.map((r) => {
    const failed = r.error || (r.status ?? 0) >= 500;
    const spans = r.spans.map((s) => spanRow(s, r.durationMs)).join('');
    return (
      `<details class="${failed ? 'req failed' : 'req'}"><summary>` +
      `<span class="t">${e(r.time.slice(11, 23))}</span>` +
      `<span class="s">${e(r.status === undefined ? '-' : String(r.status))}</span>` +
      `<span class="n">${e(r.name)}</span>` +
      `<span class="d">${e(fixed(r.durationMs))} ms</span>` +
      `<span class="ru">${e(fixed(r.requestCharge, 2))} RU</span>` +
      `<span class="tn">${e(r.tenant ?? '-')}</span>` +
      `<span class="c">${e(`${r.component ?? ''} ${r.operation ?? ''}`.trim())}</span>` +
      `<span class="u">${e(r.user ?? '-')}</span>` +
      `</summary><p class="id">trace ${e(r.traceId)} · ${e(r.time)}</p>` +
      `<table class="spans"><tr><th>span</th><th>kind</th><th>start</th><th>duration</th><th></th><th>attributes</th></tr>${spans}</table></details>`
    );
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Traces · ${e(app)} · atakora dev</title>
<style>
body{font:13px/1.45 system-ui,sans-serif;margin:1.2em;color:#1b1f24}
h1{font-size:1.2em;margin:0 0 .2em}
p.note{color:#57606a;margin:.2em 0 1em}
.head,summary{display:grid;grid-template-columns:7em 3.5em minmax(14em,2fr) 6em 6em minmax(8em,1fr) minmax(8em,1fr) minmax(6em,1fr);gap:.6em;align-items:baseline}
.head{font-weight:600;border-bottom:1px solid #d0d7de;padding:.3em 0 .3em 1.2em}
summary{cursor:pointer;padding:.25em 0 .25em .2em;list-style-position:outside}
details.req{border-bottom:1px solid #eaeef2;padding-left:1em}
details.failed summary .s{color:#cf222e;font-weight:600}
summary span{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.n{font-family:ui-monospace,monospace}
.d,.ru{text-align:right;font-variant-numeric:tabular-nums}
p.id{color:#57606a;font-family:ui-monospace,monospace;margin:.3em 0}
table.spans{border-collapse:collapse;margin:.3em 0 .8em;width:100%}
table.spans td,table.spans th{padding:.15em .5em;text-align:left;vertical-align:top;border-top:1px solid #eaeef2}
td.bar{width:22%}
td.bar div{height:.8em;background:#54aeff;min-width:2px}
tr.error td.bar div{background:#cf222e}
td.attrs{font-family:ui-monospace,monospace;font-size:12px;color:#424a53}
</style></head>
<body><h1>Traces · ${e(app)}</h1>
<p class="note">The last ${String(requests.length)} request(s) this app served in <code>atakora dev</code>, newest first (at most 1,000; kept in memory, gone when dev stops). Open one for its spans. Recorded: route templates, status, RU, tenant, caller <code>oid</code> — never an item, a query value or a token.</p>
<div class="head"><span>time</span><span>status</span><span>request</span><span>duration</span><span>RU</span><span>tenant</span><span>component</span><span>caller</span></div>
${rows.length ? rows.join('\n') : '<p class="note">No requests yet: call the API, then reload this page.</p>'}
</body></html>
`;
}

function spanRow(s: ViewSpan, total: number): string {
  const e = escapeHtml;
  const scale = total > 0 ? 100 / total : 0;
  const left = Math.max(0, Math.min(100, s.offsetMs * scale));
  const width = Math.max(0, Math.min(100 - left, s.durationMs * scale));
  const attrs = Object.entries(s.attributes)
    .map(([k, v]) => `${e(k)}=${e(String(v))}`)
    .join(' · ');
  return (
    `<tr class="${s.error ? 'error' : 'ok'}"><td>${e(s.name)}</td><td>${e(s.kind)}</td>` +
    `<td>+${e(fixed(s.offsetMs))} ms</td><td>${e(fixed(s.durationMs))} ms</td>` +
    `<td class="bar"><div style="margin-left:${fixed(left)}%;width:${fixed(width)}%"></div></td>` +
    `<td class="attrs">${attrs}</td></tr>`
  );
}
