/**
 * Progress of `atakora dev` while it starts (and restarts): loading the entry, starting the local Cosmos DB
 * server, building each package, starting each worker take 5–15 s together, which a silent terminal hides.
 * One line per step on stderr, with the time the previous step took, so stdout keeps only the banner.
 *
 * @example
 * ```ts
 * const progress = devProgress((l) => process.stderr.write(l + '\n'));
 * progress('Loading main.ts');           // atakora dev: Loading main.ts…
 * progress('Building the package');      // atakora dev: Building the package… (previous step 1.2 s)
 * ```
 */
export function devProgress(
  write: (line: string) => void,
  now: () => number = () => performance.now(),
): (step: string) => void {
  let last: number | undefined;
  return (step) => {
    const t = now();
    const took = last === undefined ? '' : ` (previous step ${((t - last) / 1000).toFixed(1)} s)`;
    last = t;
    write(`atakora dev: ${step}…${took}`);
  };
}
