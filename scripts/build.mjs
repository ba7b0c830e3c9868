#!/usr/bin/env node
// `npm run build`: dist/ afresh — tsc (types and per-file modules, tsconfig.build.json), then, side by side, the
// package's entry-point bundles (scripts/bundle-dist.mjs) and the CRUD runtime's app and zip
// (scripts/build-runtime.mjs). Both read only what tsc wrote and neither writes what the other reads (bundle-dist
// replaces the entry points and dev's host, build-runtime bundles src/runtime with tsc's packaging modules), and
// tsc is one thread: side by side they end in the time of the longer (docs/performance.md, "The suite").
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './collect.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** `node args` with its output straight through; resolves to its exit code. */
const node = (...args) => run(process.execPath, args, { cwd: root });

rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = await node(
  join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
  '-p',
  'tsconfig.build.json',
);
if (tsc !== 0) process.exit(tsc);
const codes = await Promise.all([
  node(join(root, 'scripts', 'bundle-dist.mjs')),
  node(join(root, 'scripts', 'build-runtime.mjs')),
]);
process.exit(codes.find((c) => c !== 0) ?? 0);
