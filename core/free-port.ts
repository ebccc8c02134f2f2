import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

/** Lowest port handed out; below it sit well-known and registered services people run by hand. */
const LOWEST_PORT = 10_000;
/** IANA's dynamic range (RFC 6335 §6), the ephemeral range where the OS says nothing else. */
const IANA_EPHEMERAL_LOW = 49_152;
const ATTEMPTS = 64;

/**
 * A port free on `host` right now, for servers that must know it in advance and bind it again
 * later (the live stack takes a region down and brings it back on the same port).
 *
 * It is drawn from below the OS's ephemeral range on purpose: a port the OS hands out for
 * `listen(0)` is also one it hands out as the local port of outgoing connections, so while a
 * region is down one of the stack's own client sockets can take its port and the region cannot
 * come back (seen in CI: "port 41715 on 127.0.0.1 is already in use" on heal). Ports below the
 * range are never used for outgoing connections. Falls back to the OS's choice if none is free.
 */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  const high = ephemeralLow() - 1;
  if (high > LOWEST_PORT) {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const port = randomInt(LOWEST_PORT, high + 1);
      if (await canListen(port, host)) return port;
    }
  }
  return listenAndRelease(0, host);
}

/** Linux publishes its range (default 32768-60999); elsewhere assume IANA's. */
function ephemeralLow(): number {
  try {
    const [low] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/);
    const parsed = Number(low);
    return Number.isInteger(parsed) && parsed > 0 ? parsed : IANA_EPHEMERAL_LOW;
  } catch {
    return IANA_EPHEMERAL_LOW;
  }
}

async function canListen(port: number, host: string): Promise<boolean> {
  try {
    await listenAndRelease(port, host);
    return true;
  } catch {
    return false;
  }
}

function listenAndRelease(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      const bound = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(bound));
    });
  });
}
