import net from 'node:net';

/**
 * What the proxy does with new connections: pass them on, close them at once, accept and stay silent, or
 * pass them on but hold the server's answers back by `slowMs`. 'slow' delays only TLS application-data
 * records (content type 0x17), so the handshake completes at once and the request reaches the server on
 * time — the answer is produced then and arrives late; use it with TLS 1.2, where handshake records are
 * not disguised as application data.
 */
export type FaultMode = 'forward' | 'refuse' | 'hang' | 'slow';

/**
 * A TCP proxy on 127.0.0.1 in front of the local Cosmos server (TLS passes through untouched), whose mode
 * can change mid-test. Switching mode also drops the connections already open, so a client's keep-alive
 * pool cannot bypass the fault.
 */
export interface FaultProxy {
  readonly endpoint: string;
  mode: FaultMode;
  slowMs: number;
  /** Answer chunks 'slow' has held back so far: rises once the server has answered a request on a slow connection. */
  readonly heldAnswers: number;
  /** Change the mode for new connections; `keepOpen` leaves the open ones (and their mode) alone. */
  setMode(mode: FaultMode, keepOpen?: boolean): void;
  stop(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const proxy: FaultProxy = {
    endpoint: '',
    mode: 'forward',
    slowMs: 300,
    heldAnswers: 0,
    setMode(mode, keepOpen = false) {
      proxy.mode = mode;
      if (!keepOpen) for (const s of sockets) s.destroy();
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = net.createServer((client) => {
    track(client);
    if (proxy.mode === 'refuse') {
      client.destroy();
      return;
    }
    // 'hang': the connection stays open and nothing is ever read or written.
    if (proxy.mode === 'hang') return;
    const upstream = net.connect(Number(port), hostname);
    track(upstream);
    client.pipe(upstream);
    if (proxy.mode === 'slow') {
      const delay = proxy.slowMs;
      let held = 0;
      upstream.on('data', (chunk: Buffer) => {
        // Once one chunk is held, later ones wait too so that the byte order is kept.
        if (chunk[0] !== 0x17 && held === 0) {
          client.write(chunk);
          return;
        }
        held++;
        (proxy as { heldAnswers: number }).heldAnswers++;
        setTimeout(() => {
          held--;
          if (!client.destroyed) client.write(chunk);
        }, delay);
      });
    } else {
      upstream.pipe(client);
    }
    client.on('close', () => upstream.destroy());
    // A held answer must still reach the client after the server has closed its side.
    const lag = proxy.mode === 'slow' ? proxy.slowMs + 20 : 0;
    upstream.on('close', () => (lag ? setTimeout(() => client.destroy(), lag) : client.destroy()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  (proxy as { endpoint: string }).endpoint =
    `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return proxy;
}
