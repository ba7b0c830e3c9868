import { gitignoreHint } from './gitignore-hint.js';
import { relative } from 'node:path';
import { devBanner } from './banner.js';
import { devTracesOff } from '../traces/traces.js';
import { devSiteBanner } from '../sites/sites.js';
import { devSafetyLines } from './safety-banner.js';
import { devProgress } from './progress.js';
import { devUserOf } from '../sign-in/sign-in.js';
import { signedInLine } from './signed-in-line.js';
import { restartOnChange } from '../../shared/watch-files.js';
import { checkPortFree } from './port-check.js';
import { checkEntryPath } from '../../entry/errors.js';
import { ensureFolder } from '../../shared/fs-errors.js';
import { UsageError } from '../../shared/usage-error.js';
import { devSecretLines, LOCAL_SECRETS_FILE } from '../host/secrets.js';
import { at } from '../../../model/at.js';

/** Where the command writes (the CLI's Io, structurally: importing main.ts would make a cycle). */
interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

/**
 * `atakora dev <entry> [--port n] [--user <user>[@<tenant>]] [--tenant <tenant>] [--roles <role>,…] [--data-dir <dir>]`:
 * report each start-up step,
 * serve until Ctrl+C (or SIGTERM) and restart the apps whenever the entry or a handler changes, then stop every
 * process it started.
 */
export async function devCommand(
  args: string[],
  portArg: string | undefined,
  io: Io,
  signIn: { user?: string; tenant?: string; roles?: string } = {},
  dataDir?: string,
  environment?: string,
): Promise<number> {
  if (args.length !== 1) throw new UsageError('dev takes exactly one <entry>.');
  const port = portArg === undefined ? 7071 : Number(portArg);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a port number (got ${String(portArg)}).`);
  const user = devUserOf(signIn.user, signIn.tenant, signIn.roles);
  if (!user)
    throw new UsageError(
      `--user and --tenant take ids of letters, digits, ".", "_" or "-" (--user alice@contoso, --tenant ` +
        `contoso), --roles app role values separated by commas (--roles NoteAdmin,Auditor); got ` +
        `${[signIn.user, signIn.tenant, signIn.roles].filter(Boolean).join(', ')}.`,
    );
  if (dataDir === '')
    throw new UsageError('--data-dir takes a folder, e.g. --data-dir .atakora/data.');
  // What the command line says is checked before anything depends on the machine: the entry and the data folder
  // (made now, not at the first save minutes later), then the port, which another program may hold.
  checkEntryPath(at(args, 0));
  if (dataDir !== undefined)
    ensureFolder(dataDir, {
      what: 'the data folder (--data-dir)',
      at: ['dev', '--data-dir'],
      instead: 'pass another folder: --data-dir .atakora/data',
    });
  await checkPortFree(port);
  // Loaded only for dev: it brings the Cosmos client and the packaging code.
  const { startDev } = await import('./session.js');
  if (dataDir === '')
    throw new UsageError('--data-dir takes a folder, e.g. --data-dir .atakora/data.');
  const session = await startDev(at(args, 0), {
    port,
    user,
    ...(dataDir !== undefined ? { dataDir } : {}),
    ...(environment !== undefined ? { environment } : {}),
    log: (l) => {
      io.err(l + '\n');
    },
    progress: devProgress((l) => {
      io.err(l + '\n');
    }),
  });
  const banner = () => {
    for (const line of devBanner(session.apps, { traces: !devTracesOff(process.env) }))
      io.out(line + '\n');
    for (const line of devSiteBanner(session.sites)) io.out(line + '\n');
    if (session.cosmosEndpoint) io.out(`Cosmos DB (local): ${session.cosmosEndpoint}\n`);
    if (session.realtimeEndpoint) io.out(`Web PubSub (local): ${session.realtimeEndpoint}\n`);
    io.out(signedInLine(session.user, session.emailUsers) + '\n');
    if (session.origins.length) io.out(`CORS for ${session.origins.join(', ')}\n`);
    for (const line of devSafetyLines(session)) io.out(line + '\n');
    for (const line of devSecretLines(session.secrets)) io.out(line + '\n');
    for (const name of session.secrets.missing)
      io.err(
        `warning: secret ${name} is missing: export ${name}=… or add it to ${LOCAL_SECRETS_FILE}\n`,
      );
  };
  banner();
  // Once per session, not on each reload's banner.
  for (const line of gitignoreHint(process.cwd())) io.err(line + '\n');
  io.out(
    'Ready. Edits to the entry, a handler or a file the entry read restart the apps (or save the entry to ' +
      'reload). Ctrl+C to stop.\n',
  );
  const watcher = restartOnChange(session, {
    changed: (files) => {
      io.err(
        `atakora dev: ${files.map((f) => relative(process.cwd(), f)).join(', ')} changed, restarting\n`,
      );
    },
    reloaded: () => {
      banner();
      io.out('Ready again.\n');
    },
    failed: (e) => {
      io.err(
        `atakora dev: restart failed (fix it and save again): ${e instanceof Error ? e.message : String(e)}\n`,
      );
    },
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  watcher.close();
  await session.stop();
  return 0;
}
