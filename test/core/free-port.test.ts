import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freePort, RESERVATIONS_DIR, reservePort, sweepStaleReservations } from "../../core/free-port.ts";

function ephemeralLow(): number {
  try {
    return Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
  } catch {
    return 49_152;
  }
}

describe("freePort", () => {
  it("hands out a port below the ephemeral range, so no outgoing connection can take it while its server is down", async () => {
    const ports = await Promise.all(Array.from({ length: 8 }, () => freePort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(ephemeralLow());
    }
  });

  it("hands out a port that can be bound right away", async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("reserves what it hands out: the same process is not handed the port again", async () => {
    const port = await freePort();
    expect(readFileSync(join(RESERVATIONS_DIR, String(port)), "utf8")).toBe(String(process.pid));
    expect(reservePort(port)).toBe(false);
  });

  it("never hands out a port another live process holds, and takes over one a dead process left", () => {
    mkdirSync(RESERVATIONS_DIR, { recursive: true });
    // A port no process holds now: a stack in a parallel test file keeps its own reservations.
    let port = 10_000 + (process.pid % 20_000);
    while (existsSync(join(RESERVATIONS_DIR, String(port)))) port++;
    const file = join(RESERVATIONS_DIR, String(port));
    writeFileSync(file, String(process.ppid)); // the parent runs as long as this test does
    expect(reservePort(port)).toBe(false);
    writeFileSync(file, ""); // created by its owner, pid not written yet
    expect(reservePort(port)).toBe(false);
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
    writeFileSync(file, dead.stdout.toString());
    expect(reservePort(port)).toBe(true);
    expect(readFileSync(file, "utf8")).toBe(String(process.pid));
  });

  it("releases a process's reservations when it exits", () => {
    const script =
      'import("./core/free-port.ts").then(async (m) => process.stdout.write(String(await m.freePort())))';
    const port = execFileSync(process.execPath, ["--import", "tsx", "-e", script], { encoding: "utf8" });
    expect(Number(port)).toBeGreaterThanOrEqual(10_000);
    expect(existsSync(join(RESERVATIONS_DIR, port))).toBe(false);
  });

  it("sweeps the reservations of processes that have died, and keeps live ones", () => {
    mkdirSync(RESERVATIONS_DIR, { recursive: true });
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
    const stale = join(RESERVATIONS_DIR, "1");
    const live = join(RESERVATIONS_DIR, "2");
    writeFileSync(stale, dead.stdout.toString());
    writeFileSync(live, String(process.ppid));
    sweepStaleReservations();
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    rmSync(live);
  });
});
