import { connect, createServer, type Server, type Socket } from "node:net";

export type ProxyMode = "pass" | "hang" | "slow";

/**
 * A TCP proxy in front of a region, for faults a closed port cannot show. In "hang" mode it
 * keeps accepting connections and swallowing bytes without ever answering, on new and existing
 * connections alike: a region that hangs rather than dies. In "slow" mode it delays answers.
 */
export class TcpProxy {
  mode: ProxyMode = "pass";
  /** In "slow" mode, how long each chunk from the region is held before the router gets it. */
  delayMs = 0;
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  port = 0;

  constructor(private readonly upstreamPort: number) {}

  async listen(): Promise<number> {
    const server = createServer((client) => this.accept(client));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    this.port = typeof address === "object" && address ? address.port : 0;
    return this.port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: Socket): void {
    this.sockets.add(client);
    client.on("close", () => this.sockets.delete(client));
    client.on("error", () => {});
    const upstream = connect(this.upstreamPort, "127.0.0.1");
    this.sockets.add(upstream);
    upstream.on("close", () => {
      this.sockets.delete(upstream);
      client.destroy();
    });
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    client.on("data", (chunk) => {
      if (this.mode !== "hang") upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      if (this.mode === "pass") client.write(chunk);
      else if (this.mode === "slow") setTimeout(() => client.write(chunk), this.delayMs);
    });
  }
}
