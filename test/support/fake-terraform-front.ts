import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/**
 * The stand-in terraform of fake-terraform.ts without a Node start per call. Each call of the stand-in was a Node
 * process (~0.1 CPU-s to start on this machine, five per deploy: most of the deploy tests' CPU); now the
 * `terraform` on PATH is a bash script (a few ms) that hands its working folder, arguments and `FAKE_TF_*`
 * variables over a loopback socket to one server per test worker, which runs the very same script text for it
 * (fs paths resolved against the caller's folder, `process.exit` ending the run) and answers with the exit
 * code, stderr and stdout; the bash front writes them out and exits with that code. The deploy still spawns a
 * real process found on PATH (or named by --terraform), in the stack's folder, and reads its pipes and exit code:
 * only what the process runs changed. A hanging apply (`FAKE_TF_HANG=apply`, the Ctrl+C test: a real SIGINT
 * handler) and a front that cannot reach its server run the script in Node, as before.
 *
 * The server runs in a worker thread, not on the test's thread: a test may wait synchronously on the stand-in
 * (`execFileSync(tf.bin, …)`), and it is unref'd, so it never keeps a test worker alive.
 */
const THREAD = String.raw`
const { workerData } = require('node:worker_threads');
const net = require('node:net');
const realFs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const body = workerData.script.replace(/^#!.*\n/, '');
const script = new Function('require', 'process', 'console', body);
class Exit { constructor(code) { this.code = code; } }
function run(cwd, args, env) {
  let stdout = '';
  let stderr = '';
  const at = (p) => path.resolve(cwd, String(p));
  // Only the fs calls the script makes, each path against the caller's folder, as its own process had it.
  const forwarded = {
    appendFileSync: (p, d) => realFs.appendFileSync(at(p), d),
    readFileSync: (p, e) => realFs.readFileSync(at(p), e),
    writeFileSync: (p, d) => realFs.writeFileSync(at(p), d),
    existsSync: (p) => realFs.existsSync(at(p)),
    mkdirSync: (p, o) => realFs.mkdirSync(at(p), o),
    copyFileSync: (a, b) => realFs.copyFileSync(at(a), at(b)),
    readdirSync: (p) => realFs.readdirSync(at(p)),
  };
  const fs = new Proxy(forwarded, {
    get: (t, k) => {
      if (k in t) return t[k];
      throw new Error('fake terraform front: fs.' + String(k) + ' is not forwarded (add it to fake-terraform-front.ts)');
    },
  });
  const modules = { 'node:fs': fs, 'node:path': path, 'node:crypto': require('node:crypto') };
  const req = (m) => {
    if (m in modules) return modules[m];
    throw new Error('fake terraform front: require(' + m + ') is not forwarded');
  };
  const proc = {
    argv: ['node', 'terraform', ...args],
    env,
    cwd: () => cwd,
    exit: (code) => { throw new Exit(code ?? 0); },
    stdout: { write: (s) => { stdout += s; return true; } },
    stderr: { write: (s) => { stderr += s; return true; } },
    on: () => { throw new Error('fake terraform front: process.on is for the Node stand-in (FAKE_TF_HANG)'); },
  };
  const con = { log: (...a) => { stdout += util.format(...a) + '\n'; } };
  let code = 0;
  try {
    script(req, proc, con);
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
// The request: NUL-ended fields: cwd, the argument count, the arguments, NAME=value of each FAKE_TF_* variable,
// then an empty field.
function parse(buf) {
  const fields = buf.toString('utf8').split('\0');
  if (fields.length < 3) return undefined;
  const n = Number(fields[1]);
  const env = {};
  for (let i = 2 + n; i < fields.length - 1; i++) {
    if (fields[i] === '') return { cwd: fields[0], args: fields.slice(2, 2 + n), env };
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
    const { code, stdout, stderr } = run(r.cwd, r.args, r.env);
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

/**
 * The port of this worker's stand-in server, started on first use (0: it did not start in 10 s; the fronts then
 * run the script in Node). Blocks until it listens: installFakeTerraform() is synchronous.
 */
export function fakeTerraformPort(script: string): number {
  if (port !== undefined) return port;
  const shared = new SharedArrayBuffer(8);
  const view = new Int32Array(shared);
  const thread = new Worker(THREAD, { eval: true, workerData: { script, shared } });
  thread.unref();
  // Not a clock-bounded assertion: a thread that never listens costs the Node start per call, as before.
  Atomics.wait(view, 0, 0, 10_000);
  port = Atomics.load(view, 0) === 1 ? Atomics.load(view, 1) : 0;
  return port;
}

/**
 * The bash front written as `terraform`: to the server on `port`, or (a hanging apply, no server) `node <script>`.
 * bash and cat by absolute path: some tests run the stand-in with a PATH that holds nothing else.
 */
export function frontScript(node: string, script: string, port: number): string {
  const inNode = `exec '${node}' '${script}' "$@"`;
  const bash = ['/usr/bin/bash', '/bin/bash'].find((p) => existsSync(p));
  const cat = ['/usr/bin/cat', '/bin/cat'].find((p) => existsSync(p));
  if (port === 0 || !bash || !cat) return `#!/bin/sh\n${inNode}\n`;
  return `#!${bash}
# The stand-in terraform's front (test/support/fake-terraform-front.ts): the script runs in the test worker's server.
if [[ $1 == apply && $FAKE_TF_HANG == apply ]]; then ${inNode}; fi
{ exec 3<>/dev/tcp/127.0.0.1/${port}; } 2>/dev/null || ${inNode}
cd -P . || exit 1
{ printf '%s\\0' "$PWD" "$#" "$@"; for v in "\${!FAKE_TF_@}"; do printf '%s\\0' "$v=\${!v}"; done; printf '\\0'; } >&3
IFS= read -r code <&3 || exit 1
IFS= read -r err <&3
IFS= read -r more <&3
[[ -n $err ]] && printf '%b' "$err" >&2
[[ $more == 1 ]] && ${cat} <&3
exit "$code"
`;
}
