import { createServer, Socket, type Server } from 'node:net';

/**
 * A TCP proxy between the client and the real host, to break the network for real: `cut()` resets
 * every open connection mid-stream, `offline` refuses new ones, `blackhole` forwards the client's bytes
 * but swallows the server's (a request arrives, its answer is lost).
 */
export class FlakyProxy {
  offline = false;
  blackhole = false;
  private readonly server: Server;
  private readonly pairs = new Set<[Socket, Socket]>();
  port = 0;

  constructor(private readonly targetPort: number) {
    this.server = createServer((client) => {
      if (this.offline) {
        client.resetAndDestroy();
        return;
      }
      const upstream = new Socket();
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      const end = () => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
      upstream.connect(this.targetPort, '127.0.0.1');
      client.on('data', (d) => upstream.write(d));
      upstream.on('data', (d) => {
        if (!this.blackhole) client.write(d);
      });
    });
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((res) => this.server.listen(0, '127.0.0.1', () => res()));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  /** Resets every open connection (the client sees an abnormal close, no close handshake). */
  cut(): void {
    for (const [c, u] of this.pairs) {
      c.resetAndDestroy();
      u.destroy();
    }
    this.pairs.clear();
  }

  get open(): number {
    return this.pairs.size;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((res) => this.server.close(() => res()));
  }
}
