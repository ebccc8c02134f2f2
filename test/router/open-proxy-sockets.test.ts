import { connect, createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "./support/load.ts";
import { type RouterNode, regionStack, type Stack } from "./support/region-stack.ts";

// Raw HTTP/1.1 over a socket, so the request line and headers are exactly what an attacker
// would send (fetch would normalise them). A bait server on 127.0.0.1 counts any connection
// the router might open to a host named by the client.
const TOKEN = "sockets-admin-token";
let stack: Stack;
let edge: RouterNode;
let bait: Server;
let baitPort = 0;
let baitConnections = 0;
const seenByRegions: { region: string; url: string; headers: Headers }[] = [];

beforeAll(async () => {
  bait = createServer((socket) => {
    baitConnections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => bait.listen(0, "127.0.0.1", resolve));
  const address = bait.address();
  baitPort = typeof address === "object" && address ? address.port : 0;
  stack = await regionStack({
    onRegionRequest: (region, request) =>
      seenByRegions.push({ region, url: request.url, headers: new Headers(request.headers) }),
  });
  edge = await stack.addRouter("edge-1", TOKEN);
  await waitFor(() => edge.router.status().regions.every((r) => r.health.confirmed));
});

afterAll(async () => {
  await stack.close();
  await new Promise<void>((resolve) => bait.close(() => resolve()));
});

/** Sends raw bytes to the router and returns everything it answers until it closes. */
function raw(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(edge.served.port, "127.0.0.1");
    let out = "";
    socket.setEncoding("utf8");
    socket.on("data", (d) => {
      out += d;
    });
    socket.on("close", () => resolve(out));
    socket.on("error", (e) => (out ? resolve(out) : reject(e)));
    socket.write(text);
    setTimeout(() => socket.end(), 500);
  });
}

function trafficTo(path: string) {
  return seenByRegions.filter((s) => new URL(s.url).pathname === path);
}

describe("open-proxy attempts over a raw socket", () => {
  it("an absolute-form URI naming another host reaches only the configured region", async () => {
    const answer = await raw(
      `GET http://127.0.0.1:${baitPort}/steal HTTP/1.1\r\nHost: 127.0.0.1:${baitPort}\r\nConnection: close\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 404/);
    expect(answer.toLowerCase()).toContain("x-served-by: prod-us");
    expect(trafficTo("/steal")).toHaveLength(1);
    expect(baitConnections).toBe(0);
  });

  it("a forged Host header reaches only the configured region", async () => {
    const answer = await raw(
      `GET /forged HTTP/1.1\r\nHost: 127.0.0.1:${baitPort}\r\nConnection: close\r\n\r\n`,
    );
    expect(answer.toLowerCase()).toContain("x-region: prod-us");
    const [seen] = trafficTo("/forged");
    expect(seen?.headers.get("x-forwarded-host")).toBe(`127.0.0.1:${baitPort}`);
    expect(new URL(seen!.url).port).toBe(String(stack.regions["prod-us"].port));
    expect(baitConnections).toBe(0);
  });

  it("CONNECT to another host is not tunnelled", async () => {
    const answer = await raw(`CONNECT 127.0.0.1:${baitPort} HTTP/1.1\r\nHost: 127.0.0.1:${baitPort}\r\n\r\n`);
    expect(answer).not.toMatch(/^HTTP\/1\.1 200/);
    expect(baitConnections).toBe(0);
  });

  it("hop-by-hop headers from the client never reach the region", async () => {
    const answer = await raw(
      "GET /hop HTTP/1.1\r\nHost: edge\r\nConnection: close, X-Secret-Hop\r\nX-Secret-Hop: 1\r\n" +
        "Keep-Alive: timeout=99\r\nTE: trailers\r\nProxy-Authorization: Basic eDp5\r\nX-Kept: yes\r\n\r\n",
    );
    expect(answer).toMatch(/^HTTP\/1\.1 404/);
    const [seen] = trafficTo("/hop");
    for (const name of ["x-secret-hop", "keep-alive", "te", "proxy-authorization"]) {
      expect(seen?.headers.has(name), name).toBe(false);
    }
    expect(seen?.headers.get("x-kept")).toBe("yes");
    expect(seen?.headers.get("x-forwarded-for")).toBe("127.0.0.1");
  });
});

describe("admin API over a socket", () => {
  const admin = (token?: string) =>
    fetch(`${edge.url}/_router/status`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it("401 without a token, 403 with a wrong one, 200 with the right one", async () => {
    expect((await admin()).status).toBe(401);
    expect((await admin("wrong")).status).toBe(403);
    const ok = await admin(TOKEN);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ routerId: "edge-1", activeRegion: "prod-us" });
  });
});
