import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.js';

// The preamble every `atakora <command>` shares, in one place: its flags parsed strictly (an unknown flag is a
// usage error, exit 2), `--help` answered with the command's help, and the one <entry> it takes. What the target
// flags (--environment, --local, --resource-group) mean, and loading the backend they name, is
// environment-option.ts's.

/** Where a command writes: results on `out`, progress and errors on `err`. */
export interface CommandIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

const HELP_FLAG = { help: { type: 'boolean', short: 'h' } } as const;

/** A command's flags, as `parseArgs` takes them. */
type Flags = NonNullable<ParseArgsConfig['options']>;

/** The flags a command takes, by name: most take a value or are on/off; `own` holds any other (`-f`, many values). */
export interface CommandSpec<S extends string, B extends string, F extends Flags> {
  /** The command's help, printed for `--help`. */
  readonly help: string | undefined;
  /** Flags that take a value (`--since 1h`). */
  readonly strings?: readonly S[];
  /** Flags that are on or off (`--json`). */
  readonly booleans?: readonly B[];
  readonly own?: F;
}

/** The flags of a {@link CommandSpec}, as `parseArgs` types them. */
export type SpecFlags<S extends string, B extends string, F extends Flags> = {
  [K in S]: { type: 'string' };
} & { [K in B]: { type: 'boolean' } } & F;

/** A command line as `node:util`'s `parseArgs` reads it with the command's flags and `--help`. */
export type CommandLine<F extends Flags> = ReturnType<
  typeof parseArgs<{
    args: string[];
    allowPositionals: true;
    strict: true;
    options: typeof HELP_FLAG & F;
  }>
>;

/**
 * Parse a command's arguments with its flags and `--help` (strict: an unknown flag throws `ERR_PARSE_ARGS_*`,
 * which main reports as a usage error, exit 2). With `--help` the command's help goes to `io.out` and the answer
 * is undefined: the command returns 0. The target flags (`--environment`, `--local`, `--resource-group`) are
 * declared as any other; environment-option.ts's `checkTarget` holds their rule.
 *
 * @example
 * ```ts
 * const line = commandLine(argv, { help: HELP['usage'], strings: ['environment', 'since'], booleans: ['json'] }, io);
 * if (!line) return 0;
 * line.values.since; // string | undefined
 * ```
 */
export function commandLine<
  const S extends string = never,
  const B extends string = never,
  const F extends Flags = {},
>(
  argv: readonly string[],
  spec: CommandSpec<S, B, F>,
  io: Pick<CommandIo, 'out'>,
): CommandLine<SpecFlags<S, B, F>> | undefined {
  const options: Flags = { ...HELP_FLAG };
  for (const name of spec.strings ?? []) options[name] = { type: 'string' };
  for (const name of spec.booleans ?? []) options[name] = { type: 'boolean' };
  Object.assign(options, spec.own);
  const line = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options });
  if (line.values['help'] === true) {
    io.out(`${spec.help ?? ''}\n`);
    return undefined;
  }
  // parseArgs types its answer by its options' literal type; `options`, built above from exactly the spec's
  // names, has the wide type, and this is the type parseArgs gives those names written out as a literal.
  return line as CommandLine<SpecFlags<S, B, F>>;
}

/**
 * The one `<entry>` a command takes: none, or more than one positional, is a usage error naming the command.
 *
 * @example
 * ```ts
 * const entry = soleEntry('migrate', line.positionals); // 'backend.ts'
 * ```
 */
export function soleEntry(command: string, positionals: readonly string[]): string {
  const [entry, ...extra] = positionals;
  if (entry === undefined || extra.length > 0)
    throw new UsageError(
      `${command} takes exactly one <entry>${extra.length > 0 ? ` (got ${positionals.join(' ')})` : ''}.`,
    );
  return entry;
}
