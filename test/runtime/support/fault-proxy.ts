import net from 'node:net';

/**
 * What the proxy does with new connections: pass them on, close them at once, accept and stay silent, or
 * pass them on but hold the server's answers back by `slowMs` (or until `gate` settles, when one is set). 'slow' delays only TLS application-data
 * records (content type 0x17), so the handshake completes at once and the request reaches the server on
 * time — the answer is produced then and arrives late; use it with TLS 1.2, where handshake records are
 * not disguised as application data.
 */
export type FaultMode = 'forward' | 'refuse' | 'hang' | 'slow';

/**
 * A TCP proxy on 127.0.0.1 in front of the local Cosmos server (TLS passes through untouched), whose mode
 * can change mid-test. Switching mode also drops the connections opened under another mode, so a client's
 * keep-alive pool cannot bypass the fault; those of the new mode stay (a pooled connection the proxy cut would
 * fail its next request with a reset that is no fault of the mode: the server keeps connections alive).
 */
export interface FaultProxy {
  readonly endpoint: string;
  mode: FaultMode;
  slowMs: number;
  /**
   * With 'slow': hold the answers until this settles instead of for `slowMs` — the test says when they may go
   * (after what must happen meanwhile), so no wall time is spent and no loaded machine can outrun the hold.
   */
  gate: Promise<void> | undefined;
  /** Answer chunks 'slow' has held back so far: rises once the server has answered a request on a slow connection. */
  readonly heldAnswers: number;
  /** Change the mode for new connections; `keepOpen` leaves the open ones (and their mode) alone. */
  setMode(mode: FaultMode, keepOpen?: boolean): void;
  stop(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const { hostname, port } = new URL(target);
  // Each open socket and the mode its connection was accepted under.
  const sockets = new Map<net.Socket, FaultMode>();
  const track = (s: net.Socket, mode: FaultMode) => {
    sockets.set(s, mode);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const proxy: FaultProxy = {
    endpoint: '',
    mode: 'forward',
    slowMs: 300,
    gate: undefined,
    heldAnswers: 0,
    setMode(mode, keepOpen = false) {
      proxy.mode = mode;
      if (!keepOpen) for (const [s, opened] of sockets) if (opened !== mode) s.destroy();
    },
    async stop() {
      for (const s of sockets.keys()) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = net.createServer((client) => {
    track(client, proxy.mode);
    if (proxy.mode === 'refuse') {
      client.destroy();
      return;
    }
    // 'hang': the connection stays open and nothing is ever read or written.
    if (proxy.mode === 'hang') return;
    const upstream = net.connect(Number(port), hostname);
    track(upstream, proxy.mode);
    client.pipe(upstream);
    const gate = proxy.mode === 'slow' ? proxy.gate : undefined;
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
        const send = () => {
          held--;
          if (!client.destroyed) client.write(chunk);
        };
        if (gate) void gate.then(send);
        else setTimeout(send, delay);
      });
    } else {
      upstream.pipe(client);
    }
    client.on('close', () => upstream.destroy());
    // A held answer must still reach the client after the server has closed its side.
    const lag = proxy.mode === 'slow' ? proxy.slowMs + 20 : 0;
    upstream.on('close', () => {
      // Behind a gate: ended (what was written still flushed) once the held answers have been written.
      if (gate) void gate.then(() => client.end());
      else if (lag) setTimeout(() => client.destroy(), lag);
      else client.destroy();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  (proxy as { endpoint: string }).endpoint =
    `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return proxy;
}
