/**
 * Turn Node's source-mapped stack traces off for the rest of a synchronous apply; returns what turns them back
 * on (a no-op when they were off, or when this Node cannot switch them).
 *
 * Why: cdktf records a full stack trace for every token it makes (`Token`, `Lazy`, references, each
 * attribute read: `Error.captureStackTrace` with no depth limit, kept only for its "token created at" error
 * text). With source maps on — tsx turns them on for every TypeScript program, as does
 * `--enable-source-maps` — Node maps every frame of every such trace back through its source map: at 100
 * CrudApis, apply's ~2,500 tokens × ~18 frames were the larger part of apply (docs/performance.md).
 * Off, the traces are the same frames at their JavaScript positions. Nothing else changes: the synthesized
 * bytes are the same, an error thrown during apply is formatted (mapped) when its `stack` is first read, after
 * this is undone, and the program's own tokens (outside apply) keep mapped traces. `atakora synth` runs
 * without source maps, so there this does nothing. What does lose its maps: a module first loaded during
 * apply (the azurerm bindings it loads on first use), whose frames stay at their JavaScript positions.
 *
 * @example
 * ```ts
 * const restore = sourceMapsOff();
 * try { applyForTarget(stack, plan); } finally { restore(); }
 * ```
 */
export function sourceMapsOff(): () => void {
  // Node >= 20.7 (engines: >= 20.19) has both; @types/node types them.
  if (!process.sourceMapsEnabled) return noop;
  process.setSourceMapsEnabled(false);
  return () => {
    process.setSourceMapsEnabled(true);
  };
}

const noop = (): void => {};
