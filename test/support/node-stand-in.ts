import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/**
 * A stand-in executable (terraform, az, swa) written as a small Node script, without a Node start per call.
 * Each call of such a stand-in was a Node process (~0.1 CPU-s to start on this machine; the stand-in terraform
 * alone ran five per deploy: most of the deploy tests' CPU). {@link installNodeStandIn} writes the script beside
 * an executable bash front (a few ms) that hands the script's path, its working folder, arguments and
 * environment over a loopback socket to one server per test worker; the server runs that script's text for it
 * (fs and path.resolve against the caller's folder, `process.exit` ending the run) and answers with the exit
 * code, stderr and stdout, which the front writes out before exiting with that code. The command under test
 * still spawns a real process found on PATH (or named by an option), in its folder, with its environment, and
 * reads its pipes and exit code: only what that process runs changed. A call the front's `inNode` condition
 * picks (the stand-in terraform's hanging apply: a real SIGINT handler), or a front that cannot reach its server,
 * runs the script in Node, as before.
 *
 * The server runs in a worker thread, not on the test's thread: a test may wait synchronously on a stand-in
 * (`execFileSync(tf.bin, …)`); the thread is unref'd, so it never keeps a test worker alive.
 */
const THREAD = String.raw`
const { workerData } = require('node:worker_threads');
const net = require('node:net');
const realFs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const scripts = new Map();
// By path, size and mtime: a stand-in installed again at the same path runs its new text.
const compiled = (file) => {
  const st = realFs.statSync(file);
  const key = file + '\0' + st.size + '\0' + st.mtimeMs;
  if (!scripts.has(key)) {
    const body = realFs.readFileSync(file, 'utf8').replace(/^#!.*\n/, '');
    scripts.set(key, new Function('require', 'process', 'console', body));
  }
  return scripts.get(key);
};
class Exit { constructor(code) { this.code = code; } }
// Paths as the script's own process would resolve them: against its working folder.
const TWO_PATHS = new Set(['copyFileSync', 'cpSync', 'renameSync', 'linkSync']);
function run(file, cwd, args, env) {
  let stdout = '';
  let stderr = '';
  const at = (p) => (typeof p === 'string' ? path.resolve(cwd, p) : p);
  const fs = new Proxy(realFs, {
    get: (t, k) => {
      const f = t[k];
      if (typeof f !== 'function' || !String(k).endsWith('Sync')) {
        if (typeof f === 'function') throw new Error('node stand-in: fs.' + String(k) + ' (only the Sync calls are forwarded)');
        return f;
      }
      return (a, b, ...rest) => f(at(a), TWO_PATHS.has(k) ? at(b) : b, ...rest);
    },
  });
  const paths = { ...path, resolve: (...p) => path.resolve(cwd, ...p) };
  const modules = { 'node:fs': fs, fs, 'node:path': paths, path: paths, 'node:crypto': require('node:crypto'), crypto: require('node:crypto') };
  const req = (m) => {
    if (m in modules) return modules[m];
    throw new Error('node stand-in: require(' + m + ') is not forwarded');
  };
  const text = (s) => (typeof s === 'string' ? s : Buffer.from(s).toString('utf8'));
  const proc = {
    argv: ['node', file, ...args],
    env,
    cwd: () => cwd,
    exit: (code) => { throw new Exit(code ?? 0); },
    stdout: { write: (s) => { stdout += text(s); return true; } },
    stderr: { write: (s) => { stderr += text(s); return true; } },
    on: () => { throw new Error('node stand-in: process.on needs the script in Node (the front\'s inNode condition)'); },
  };
  const con = {
    log: (...a) => { stdout += util.format(...a) + '\n'; },
    error: (...a) => { stderr += util.format(...a) + '\n'; },
  };
  let code = 0;
  try {
    compiled(file)(req, proc, con);
  } catch (e) {
    if (e instanceof Exit) code = e.code;
    else { stderr += (e && e.stack) || String(e); stderr += '\n'; code = 1; }
  }
  return { code, stdout, stderr };
}
// printf %b's escapes: the line carries stderr whole, newlines and all.
const escaped = (s) =>
  s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'));
// The request: NUL-ended fields: the script, cwd, the argument count, the arguments, NAME=value of each exported
// variable, then an empty field.
function parse(buf) {
  const fields = buf.toString('utf8').split('\0');
  if (fields.length < 4) return undefined;
  const n = Number(fields[2]);
  const env = {};
  for (let i = 3 + n; i < fields.length - 1; i++) {
    if (fields[i] === '') return { file: fields[0], cwd: fields[1], args: fields.slice(3, 3 + n), env };
    const eq = fields[i].indexOf('=');
    env[fields[i].slice(0, eq)] = fields[i].slice(eq + 1);
  }
  return undefined;
}
const server = net.createServer((sock) => {
  const chunks = [];
  sock.on('error', () => {});
  sock.on('data', (b) => {
    chunks.push(b);
    const r = parse(Buffer.concat(chunks));
    if (!r) return;
    sock.removeAllListeners('data');
    const { code, stdout, stderr } = run(r.file, r.cwd, r.args, r.env);
    sock.end(code + '\n' + escaped(stderr) + '\n' + (stdout ? '1' : '0') + '\n' + stdout);
  });
});
server.listen(0, '127.0.0.1', () => {
  const view = new Int32Array(workerData.shared);
  Atomics.store(view, 1, server.address().port);
  Atomics.store(view, 0, 1);
  Atomics.notify(view, 0);
});
`;

let port: number | undefined;

/** This worker's stand-in server's port, started on first use (0: it did not listen within 10 s). */
function serverPort(): number {
  if (port !== undefined) return port;
  const shared = new SharedArrayBuffer(8);
  const view = new Int32Array(shared);
  const thread = new Worker(THREAD, { eval: true, workerData: { shared } });
  thread.unref();
  // Blocks until it listens (installing is synchronous). Not a clock-bounded assertion: a server that never
  // listens leaves the fronts running their scripts in Node, as before.
  Atomics.wait(view, 0, 0, 10_000);
  port = Atomics.load(view, 0) === 1 ? Atomics.load(view, 1) : 0;
  return port;
}

/**
 * Install a Node stand-in at `bin`: the script `source` (a shebang line is dropped) as `<bin>.cjs`, and `bin`
 * the executable front. `inNode` is a bash condition under which the call runs the script in Node instead (what
 * needs a real process of its own: signal handlers, timers). Scripts use fs's Sync calls, path, crypto,
 * process.argv/env/cwd/exit/stdout/stderr and console; anything else fails loudly in the server.
 *
 * @example
 * ```ts
 * installNodeStandIn(join(dir, 'az'), `process.stdout.write(JSON.stringify({ tenantId: 't' }));`);
 * ```
 */
export function installNodeStandIn(bin: string, source: string, inNode?: string): void {
  const script = `${bin}.cjs`;
  writeFileSync(script, `#!${process.execPath}\n${source.replace(/^#!.*\n/, '')}`);
  writeFileSync(bin, frontScript(process.execPath, script, serverPort(), inNode));
  chmodSync(bin, 0o755);
}

/**
 * The bash front: the script's call to the server on `port`, or (`inNode`, no server) `node <script>`. bash and
 * cat by absolute path: some tests run a stand-in with a PATH that holds nothing else.
 */
function frontScript(node: string, script: string, port: number, inNode?: string): string {
  const viaNode = `exec '${node}' '${script}' "$@"`;
  const bash = ['/usr/bin/bash', '/bin/bash'].find((p) => existsSync(p));
  const cat = ['/usr/bin/cat', '/bin/cat'].find((p) => existsSync(p));
  if (port === 0 || !bash || !cat) return `#!/bin/sh\n${viaNode}\n`;
  return `#!${bash}
# A Node stand-in's front (test/support/node-stand-in.ts): the script runs in the test worker's server.
${inNode ? `if ${inNode}; then ${viaNode}; fi\n` : ''}{ exec 3<>/dev/tcp/127.0.0.1/${port}; } 2>/dev/null || ${viaNode}
cd -P . || exit 1
{ printf '%s\\0' '${script}' "$PWD" "$#" "$@"; for v in $(compgen -e); do printf '%s\\0' "$v=\${!v}"; done; printf '\\0'; } >&3
IFS= read -r code <&3 || exit 1
IFS= read -r err <&3
IFS= read -r more <&3
[[ -n $err ]] && printf '%b' "$err" >&2
[[ $more == 1 ]] && ${cat} <&3
exit "$code"
`;
}
