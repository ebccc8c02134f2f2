import { randomInt } from "node:crypto";
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

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
 *
 * A port handed out is also reserved for this process (reservePort below) until it exits: a port
 * free to the OS while its region or control replica is down would otherwise look free to
 * another stack on the machine, which could take it first (seen under load with parallel test
 * files: "port 19706 on 127.0.0.1 is already in use" when an aws-region-outage healed).
 */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  const high = ephemeralLow() - 1;
  if (high > LOWEST_PORT) {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const port = randomInt(LOWEST_PORT, high + 1);
      if (reservePort(port) && (await canListen(port, host))) return port;
    }
  }
  return listenAndRelease(0, host);
}

/** Where reservations live: one file per port, holding the reserving process's pid. */
export const RESERVATIONS_DIR = join(tmpdir(), "failover-port-reservations");
const reserved = new Set<number>();

/**
 * Claims `port` for this process among all processes on the machine that draw ports here: true
 * if it is now this process's (a new file, created exclusively), false if a live process (this
 * one included: a stack of its own may have the port while its server is down) holds it. A
 * reservation left by a process that has died is taken over. Where the folder cannot be written,
 * nothing is reserved and every port counts as claimable (the OS check still applies).
 */
export function reservePort(port: number): boolean {
  const file = join(RESERVATIONS_DIR, String(port));
  try {
    mkdirSync(RESERVATIONS_DIR, { recursive: true });
  } catch {
    return true;
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      if (reserved.size === 0) {
        process.once("exit", releaseAll);
        sweepStaleReservations();
      }
      reserved.add(port);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") return true;
      if (holderAlive(file)) return false;
      try {
        unlinkSync(file);
      } catch {
        // Another process removed the stale file first; the exclusive create decides.
      }
    }
  }
  return false;
}

/** Whether the process named in a reservation file still runs (an unreadable file counts as held). */
function holderAlive(file: string): boolean {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return true;
  }
  // Empty: its owner created it and has not written its pid yet (never stale).
  if (text === "") return true;
  const pid = Number(text);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes this process's reservations (on exit: a stack's ports stay its own while it runs). */
function releaseAll(): void {
  for (const port of reserved) {
    try {
      unlinkSync(join(RESERVATIONS_DIR, String(port)));
    } catch {
      // Already gone.
    }
  }
  reserved.clear();
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

/**
 * Removes the reservations of processes that have died (a test worker is killed, not exited, so
 * its exit hook never runs), and the folder once it is empty. Run by each process's first
 * reservation and after the test suite (test/support/port-reservations.global.ts).
 */
export function sweepStaleReservations(): void {
  let names: string[];
  try {
    names = readdirSync(RESERVATIONS_DIR);
  } catch {
    return;
  }
  for (const name of names) {
    const file = join(RESERVATIONS_DIR, name);
    if (holderAlive(file)) continue;
    try {
      unlinkSync(file);
    } catch {
      // Another process swept it first.
    }
  }
  try {
    rmdirSync(RESERVATIONS_DIR);
  } catch {
    // Not empty: live processes hold ports.
  }
}
