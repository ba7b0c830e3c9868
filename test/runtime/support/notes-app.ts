// The runtime's routes as most runtime tests register them: one manifest of the notes CrudApi (or the entities given)
// under one caller policy, every entity over one container, the host's functions kept by name.
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, TimerFunctionOptions } from '@azure/functions';
import type { RuntimeAuth, RuntimeEntity } from '../../../src/model/runtime-manifest.js';
import { registerCrudRoutes } from '../../../src/runtime/register-routes.js';
import { noteEntity } from './entities.js';

/** What `registerCrudRoutes` takes beside the host and the manifest. */
export type RegisterDeps = Parameters<typeof registerCrudRoutes>[2];

/**
 * Register the runtime into `fns`: the manifest's `auth` and the routes' caller are `policy`, every entity is stored
 * in `container`, `deps` adds what the test needs (a tenant registry, a usage ledger, billing, …); `app.timers`, when
 * given, receives the runtime's timers by name (the daily erase, …), which are left out otherwise.
 *
 * @example
 * ```ts
 * registerNotesApp(fns, policy, notes, { tenantRegistry: { now: () => T0 } });
 * ```
 */
export function registerNotesApp(
  fns: Map<string, HttpFunctionOptions>,
  policy: RuntimeAuth,
  container: Container,
  deps: Partial<RegisterDeps> = {},
  app: {
    readonly backendId?: string;
    readonly entities?: readonly RuntimeEntity[];
    readonly timers?: Map<string, TimerFunctionOptions>;
  } = {},
): void {
  const timers = app.timers;
  registerCrudRoutes(
    {
      http: (name, o) => fns.set(name, o),
      ...(timers ? { timer: (name: string, o: TimerFunctionOptions) => timers.set(name, o) } : {}),
    },
    {
      version: 1,
      backendId: app.backendId ?? 'x',
      entities: [...(app.entities ?? [noteEntity])],
      auth: policy,
    },
    { containerFor: () => container, caller: policy, ...deps },
  );
}
