import type { WriteLimits } from "../../config/schema.ts";

/** Which limit a request body broke, for the JSON 400 that names it. */
export interface LimitBreach {
  limit: keyof WriteLimits | "reservedKeys";
  max: number;
  detail: string;
}

/**
 * Keys a JavaScript object cannot hold as data: assigning `__proto__` sets the object's
 * prototype instead, so the validator and the stores would drop it (or worse) and the standby
 * would hold other data than the client was acknowledged for. Refused rather than mangled.
 */
const RESERVED_KEYS = new Set(["__proto__"]);

/**
 * Deepest nesting of objects and arrays in JSON text, read without parsing it, so a body nested
 * thousands deep is refused before JSON.parse, the store or JSON.stringify see it (JSON.stringify
 * overflows its stack some thousands of levels deep: issue 13's (docs/issues.md) write that stopped
 * replication). Stops counting once past `depthMax`.
 */
export function depthBreach(text: string, limits: WriteLimits): LimitBreach | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
      continue;
    }
    if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) {
      depth++;
      if (depth > limits.jsonDepthMax) {
        return {
          limit: "jsonDepthMax",
          max: limits.jsonDepthMax,
          detail: `JSON nested deeper than ${limits.jsonDepthMax} levels (objects and arrays, the body being level 1)`,
        };
      }
    } else if (ch === 0x7d || ch === 0x5d) depth--;
  }
  return undefined;
}

/** Object members in the whole value, and the longest string (key or value) in UTF-8 bytes. */
export function sizeBreach(value: unknown, limits: WriteLimits): LimitBreach | undefined {
  let keys = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === "string") {
      if (tooLong(next, limits)) return stringBreach(limits);
    } else if (Array.isArray(next)) {
      for (const element of next) pending.push(element);
    } else if (next !== null && typeof next === "object") {
      for (const [key, member] of Object.entries(next)) {
        keys++;
        if (keys > limits.jsonKeysMax) {
          return {
            limit: "jsonKeysMax",
            max: limits.jsonKeysMax,
            detail: `more than ${limits.jsonKeysMax} object keys in the body (counted at every level)`,
          };
        }
        if (tooLong(key, limits)) return stringBreach(limits);
        if (RESERVED_KEYS.has(key)) {
          return { limit: "reservedKeys", max: 0, detail: `the key "${key}" cannot be stored as data` };
        }
        pending.push(member);
      }
    }
  }
  return undefined;
}

function tooLong(text: string, limits: WriteLimits): boolean {
  // A UTF-16 unit is 1-3 UTF-8 bytes: most strings are decided without counting bytes.
  if (text.length * 3 <= limits.jsonStringBytesMax) return false;
  return Buffer.byteLength(text, "utf8") > limits.jsonStringBytesMax;
}

function stringBreach(limits: WriteLimits): LimitBreach {
  return {
    limit: "jsonStringBytesMax",
    max: limits.jsonStringBytesMax,
    detail: `a string (key or value) longer than ${limits.jsonStringBytesMax} bytes (UTF-8)`,
  };
}
