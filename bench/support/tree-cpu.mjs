// The CPU seconds of a command and of every process it starts, chromium's included: `node bench/support/tree-cpu.mjs
// <command> [args…]`. A test's chromium outlives its worker's reaping (playwright kills it as the worker exits), so
// `/usr/bin/time` and the profile reporter's child figures miss it; this samples /proc every 200 ms, follows each
// descendant of the command by pid and start time (kept once seen, reparented or not), and sums each one's own utime
// + stime at its last sample, grouped by kind. A process living under 200 ms is missed. Linux only (proc(5)).
// docs/performance.md, "The suite, round 5, sixth pass".
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: 'inherit' });
const tracked = new Set([String(child.pid)]);
/** Each process seen, by `pid:starttime`: its kind and its CPU seconds at the last sample. */
const seen = new Map();

function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // ppid is field 4, utime and stime 14 and 15 (clock ticks of 1/100 s), starttime 22.
    return {
      name: text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')),
      ppid: fields[1],
      cpu: (Number(fields[11]) + Number(fields[12])) / 100,
      start: fields[19],
    };
  } catch {
    return undefined;
  }
}

function kindOf(pid, name) {
  let line = '';
  try {
    line = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    // gone already: named by its process name alone
  }
  if (/chrom/.test(name)) return 'chromium';
  if (/esbuild/.test(name)) return 'esbuild';
  if (/azurite/.test(line)) return 'azurite';
  if (/dev-host|host\.js/.test(line)) return 'dev worker';
  return name;
}

function sample() {
  const all = new Map();
  for (const pid of readdirSync('/proc')) if (/^\d+$/.test(pid)) all.set(pid, stat(pid));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, s] of all)
      if (s && !tracked.has(pid) && tracked.has(s.ppid)) {
        tracked.add(pid);
        grew = true;
      }
  }
  for (const pid of tracked) {
    const s = all.get(pid);
    if (!s) continue;
    const key = `${pid}:${s.start}`;
    seen.set(key, { kind: seen.get(key)?.kind ?? kindOf(pid, s.name), cpu: s.cpu });
  }
}

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const began = { at: Date.now(), load: load() };
const timer = setInterval(sample, 200);
child.on('exit', (code) => {
  sample();
  clearInterval(timer);
  const byKind = {};
  let total = 0;
  for (const { kind, cpu } of seen.values()) {
    byKind[kind] = Number(((byKind[kind] ?? 0) + cpu).toFixed(1));
    total += cpu;
  }
  const wall = ((Date.now() - began.at) / 1000).toFixed(1);
  console.error(
    `tree-cpu: ${wall} s wall, ${total.toFixed(1)} CPU-s; load ${began.load} → ${load()}`,
  );
  console.error(`tree-cpu: by kind ${JSON.stringify(byKind)}`);
  process.exit(code ?? 1);
});
