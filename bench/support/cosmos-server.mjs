// A local Cosmos DB protocol server (@vercel/cosmosdb-server) in a process of its own, for bench/runtime.ts:
// the handlers under test and the server then do not share one event loop, one heap or one core's time
// slices. Listens on 127.0.0.1 only, prints {"port":N} once listening, and exits when its parent closes stdin.
// `--keep-alive`: answer `Connection: keep-alive` as Cosmos DB does; without it the package answers `close`, and
// every call of the client pays a new TLS handshake (the runtime benches' baselines were measured so).
import { createHttpsServer } from '@vercel/cosmosdb-server';

const server = createHttpsServer({ keepAlive: process.argv.includes('--keep-alive') });
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
