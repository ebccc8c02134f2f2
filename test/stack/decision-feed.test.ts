import { describe, expect, it } from "vitest";
import type { Decision } from "../../router/decision-log.ts";
import { eventsOf, formatEvent } from "../../stack/decision-feed.ts";

const at = Date.parse("2026-11-29T12:00:03.214Z");

describe("router decisions as `failover up` prints them", () => {
  it.each<[Decision, string | undefined, string[]]>([
    [
      { atMs: at, kind: "health", region: "prod-us", reason: "down: 3 consecutive probes failed" },
      "prod-us",
      ["12:00:03.214Z detected  prod-us: down: 3 consecutive probes failed"],
    ],
    [
      { atMs: at, kind: "health", region: "prod-us", reason: "up: 2 probes" },
      "prod-ie",
      ["12:00:03.214Z recovered prod-us: up: 2 probes"],
    ],
    [
      { atMs: at, kind: "promote", region: "prod-ie", epoch: 2, reason: "failover: prod-us down" },
      "prod-us",
      [
        "12:00:03.214Z promoted  prod-ie (epoch 2): failover: prod-us down",
        "12:00:03.214Z fenced    prod-us (epoch 1): epoch 2 began: prod-us's writes in older epochs are refused",
      ],
    ],
    [
      {
        atMs: at,
        kind: "promote",
        region: "prod-us",
        epoch: 3,
        reason: "failback: prod-us healthy for 60 s",
      },
      "prod-ie",
      [
        "12:00:03.214Z failback  prod-us (epoch 3): failback: prod-us healthy for 60 s",
        "12:00:03.214Z fenced    prod-ie (epoch 2): epoch 3 began: prod-ie's writes in older epochs are refused",
      ],
    ],
  ])("%j", (decision, active, lines) => {
    expect(eventsOf(decision, active).map(formatEvent)).toEqual(lines);
  });
});
