import { hostRouteOrder } from '../../../kit/pure/route-order.js';
import { functionsLibrary } from './functions-library.js';

/** One function as `@azure/functions` registered it with the stand-in `@azure/functions-core`. */
export interface Registered {
  metadata: {
    name: string;
    bindings: Record<string, Binding>;
  };
  callback: (...args: unknown[]) => unknown;
}

/** A binding of a registered function: the trigger is the one whose direction is `in`. */
export interface Binding {
  type: string;
  direction: string;
  route?: string;
  methods?: string[];
  queueName?: string;
  connection?: string;
  schedule?: string;
  databaseName?: string;
  containerName?: string;
}

const { InvocationContext } = functionsLibrary;
const ignoreLog = (): void => undefined;
type InvocationContext = InstanceType<typeof InvocationContext>;

/** The trigger binding of a registered function, as the host reads it. */
export function triggerOf(f: Registered): Binding | undefined {
  return Object.values(f.metadata.bindings).find((b) => b.direction === 'in');
}

/**
 * What a package registered, as the dev worker indexes it, and how the worker calls each function: an
 * `InvocationContext` per call (numbered as the host numbers invocations), a timer's input defaulted as the host
 * defaults it.
 *
 * @example
 * ```ts
 * const fns = new WorkerFunctions(core.state.functions);
 * await fns.invoke(fns.named('cleanup')!, {});
 * ```
 */
export class WorkerFunctions {
  /** The HTTP functions in the host's route order (by function name: kit/pure/route-order.ts). */
  readonly http: readonly (Registered & { readonly name: string })[];
  private invocations = 0;

  /**
   * @param quiet - no one reads the worker's output (DevOptions.quietWorkers): the invocation contexts' log calls
   * (the runtime's one line per request among them) write nothing, instead of a line each to a pipe no one reads.
   */
  constructor(
    readonly all: readonly Registered[],
    private readonly quiet = false,
  ) {
    this.http = hostRouteOrder(
      all
        .filter((f) => triggerOf(f)?.type === 'httpTrigger')
        .map((f) => ({ ...f, name: f.metadata.name })),
    );
  }

  /** The functions of one trigger type (`timerTrigger`, `queueTrigger`). */
  ofType(type: string): Registered[] {
    return this.all.filter((f) => triggerOf(f)?.type === type);
  }

  named(name: string | undefined): Registered | undefined {
    return this.all.find((f) => f.metadata.name === name);
  }

  /** What the READY line reports: each function's trigger and name. */
  indexed(): (Partial<Binding> & { name: string })[] {
    return this.all.map((f) => ({ ...triggerOf(f), name: f.metadata.name }));
  }

  context(name: string, triggerMetadata?: Record<string, unknown>): InvocationContext {
    this.invocations += 1;
    return new InvocationContext({
      functionName: name,
      invocationId: `dev-${String(this.invocations)}`,
      ...(triggerMetadata ? { triggerMetadata } : {}),
      ...(this.quiet ? { logHandler: ignoreLog } : {}),
    });
  }

  /** Run a non-HTTP function with its trigger's input: the admin route, the queue poller and timers come here. */
  async invoke(
    fn: Registered,
    input: unknown,
    triggerMetadata?: Record<string, unknown>,
  ): Promise<unknown> {
    return await fn.callback(
      triggerOf(fn)?.type === 'timerTrigger'
        ? { isPastDue: false, ...(input as object | undefined) }
        : input,
      this.context(fn.metadata.name, triggerMetadata),
    );
  }
}
