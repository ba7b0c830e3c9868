/**
 * Source to put at the top of an `--input-type=module -e` script: registers a resolve hook that adds every URL
 * the ES module loader resolves to the script's `resolved` set (from the hook thread, through a port).
 * `await settled()` before reading it, so that the last messages have arrived. Used to count what a process
 * loads through the ES module loader: our modules (bundles or not), cdktf's (imported or required).
 */
export const RESOLVE_LOG = `
  import { register } from 'node:module';
  const resolved = new Set();
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (url) => resolved.add(url)); port1.unref();
  register('data:text/javascript,' + encodeURIComponent(
    'let port; export function initialize(d) { port = d.port; }' +
    'export async function resolve(s, c, next) { const r = await next(s, c); port.postMessage(r.url); return r; }'),
    { data: { port: port2 }, transferList: [port2] });
  const settled = () => new Promise((r) => setTimeout(r, 50));
`;
