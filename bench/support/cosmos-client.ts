import { spawn } from 'node:child_process';
import https from 'node:https';
import { createInterface } from 'node:readline';
import { CosmosClient, type Container } from '@azure/cosmos';

/** A local Cosmos DB server in a process of its own (cosmos-server.mjs) and a real client of it. */
export interface BenchCosmos {
  /** Container `docs` (partition key `/id`) of database `bench`, made on first use. */
  readonly container: Container;
  /** Closes the client and stops the server. */
  close(): Promise<void>;
}

/**
 * Starts bench/support/cosmos-server.mjs on 127.0.0.1 and connects `@azure/cosmos` to it: the runtime benches'
 * shared setup (bench/runtime.ts, bench/access-rules.ts).
 *
 * @example
 * ```ts
 * const cosmos = await benchCosmos();
 * try { await cosmos.container.items.create({ id: 'a' }); } finally { await cosmos.close(); }
 * ```
 *
 * `keepAlive`: the server keeps connections open, as Cosmos DB does, so a call costs what it costs a deployed
 * app's client (one TLS handshake per connection, not per call).
 */
export async function benchCosmos(options: { keepAlive?: boolean } = {}): Promise<BenchCosmos> {
  const server = spawn(
    process.execPath,
    [
      new URL('./cosmos-server.mjs', import.meta.url).pathname,
      ...(options.keepAlive ? ['--keep-alive'] : []),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    server.once('exit', (code) =>
      reject(new Error(`the Cosmos server exited (${String(code)}) before listening`)),
    );
    createInterface({ input: server.stdout! }).once('line', (line) =>
      resolve((JSON.parse(line) as { port: number }).port),
    );
  });
  // Test-only: the local server's certificate has expired; verification is skipped for this agent alone.
  const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });
  const client = new CosmosClient({
    endpoint: `https://127.0.0.1:${port}`,
    key: 'YmVuY2g=',
    agent,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  const close = async () => {
    client.dispose();
    agent.destroy();
    server.stdin!.end();
    await new Promise<void>((r) => {
      if (server.exitCode !== null) r();
      else server.once('exit', () => r());
    });
  };
  try {
    const { database } = await client.databases.createIfNotExists({ id: 'bench' });
    const { container } = await database.containers.createIfNotExists({
      id: 'docs',
      partitionKey: { paths: ['/id'] },
    });
    return { container, close };
  } catch (e) {
    await close();
    throw e;
  }
}
