/**
 * The one spelling of a request path the router judges and forwards (issue 13 (docs/issues.md): internal paths
 * must not be reachable in any spelling). RFC 3986 §6.2.2 normalisation, done once:
 * percent-encoded unreserved characters are decoded (`%5F` is `_`, `%41` is `A`, §2.3), other
 * escapes get upper-case hex (§6.2.2.1). Anything whose meaning could differ between the router,
 * the region's HTTP stack and its router is refused instead of being guessed at:
 * - a backslash, raw or encoded (some stacks read it as `/`);
 * - an encoded `/`, `?`, `#` or `;` (decoded later, they would split the path differently);
 * - an encoded `%` (double encoding: `%255F` would become `%5F` and then `_` one layer down);
 * - `;` path parameters (servlet-style stacks drop `;...` from a segment, RFC 3986 §3.3);
 * - dot segments `.` and `..`, raw or encoded (§5.2.4 would remove them and climb a level);
 * - empty segments (`//`), control characters, malformed escapes.
 * The query is left as it is: it never selects a route.
 */
export type PathVerdict =
  | { kind: "ok"; pathAndQuery: string; path: string }
  | { kind: "bad"; detail: string }
  | { kind: "internal"; path: string };

/**
 * First segments (lower-cased) that belong to operators, never clients: a region's status and
 * metrics. Besides these, any segment starting with `_` is internal (`/_replication`,
 * `/_router`, and whatever a region adds in that namespace), wherever it appears.
 */
const INTERNAL_FIRST_SEGMENTS: ReadonlySet<string> = new Set(["region", "metrics"]);

const HEX = /^[0-9A-Fa-f]{2}$/;
/** Escapes whose decoded character would change how the path splits (see above). */
const REFUSED_ESCAPES: Readonly<Record<number, string>> = {
  37: "double percent-encoding (%25)",
  47: "an encoded slash (%2F)",
  92: "an encoded backslash (%5C)",
  63: "an encoded '?' (%3F)",
  35: "an encoded '#' (%23)",
  59: "an encoded ';' (%3B)",
};

export function judgePath(pathAndQuery: string): PathVerdict {
  const q = pathAndQuery.indexOf("?");
  const rawPath = q === -1 ? pathAndQuery : pathAndQuery.slice(0, q);
  const query = q === -1 ? "" : pathAndQuery.slice(q);
  // The router's commonest paths (/items, /items/01J...) need no work: plain safe characters only.
  if (isPlainPath(rawPath)) return finishPlain(rawPath, query);
  const decoded = decodeUnreserved(rawPath);
  if (typeof decoded !== "string") return decoded;
  return finish(decoded, query);
}

/**
 * `/^(\/[A-Za-z0-9\-_~]+)+\/?$|^\/$/` as a loop over character codes: "/" and segments of
 * letters, digits, `-`, `_` and `~`, none empty but a trailing one. The regular expression cost
 * ~1% of the router's request (bench/real-code-floor.ts profile, issue 18);
 * test/router/request-path.test.ts holds the two to each other.
 */
export function isPlainPath(path: string): boolean {
  if (path.length === 0 || path.charCodeAt(0) !== 47) return false;
  for (let i = 1; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (code === 47) {
      // An empty segment ("//").
      if (path.charCodeAt(i - 1) === 47) return false;
    } else if (!PLAIN_SEGMENT_CODES[code]) return false;
  }
  return true;
}

/** Character codes allowed in a plain path's segments: A-Z a-z 0-9 - _ ~. */
const PLAIN_SEGMENT_CODES: readonly boolean[] = Array.from(
  { length: 128 },
  (_, code) =>
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2d ||
    code === 0x5f ||
    code === 0x7e,
);

/**
 * `finish` for a path the plain-characters pattern accepted: no dots and no empty segment but a
 * trailing one are possible there, so only the internal check is left, without splitting.
 */
function finishPlain(path: string, query: string): PathVerdict {
  const slash = path.indexOf("/", 1);
  const first = (slash === -1 ? path.slice(1) : path.slice(1, slash)).toLowerCase();
  if (INTERNAL_FIRST_SEGMENTS.has(first) || path.includes("/_")) return { kind: "internal", path };
  return { kind: "ok", pathAndQuery: query === "" ? path : path + query, path };
}

function finish(path: string, query: string): PathVerdict {
  if (!path.startsWith("/")) return { kind: "bad", detail: "the path must start with '/'" };
  const segments = path.split("/").slice(1);
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment === "." || segment === "..")
      return { kind: "bad", detail: "dot segments ('.', '..') are not allowed in the path" };
    if (segment === "" && i < segments.length - 1)
      return { kind: "bad", detail: "empty path segments ('//') are not allowed" };
  }
  const first = segments[0]!.toLowerCase();
  if (INTERNAL_FIRST_SEGMENTS.has(first) || segments.some((s) => s.startsWith("_")))
    return { kind: "internal", path };
  return { kind: "ok", pathAndQuery: path + query, path };
}

function decodeUnreserved(rawPath: string): string | { kind: "bad"; detail: string } {
  let out = "";
  for (let i = 0; i < rawPath.length; i++) {
    const ch = rawPath[i]!;
    const code = ch.charCodeAt(0);
    if (ch === "\\") return { kind: "bad", detail: "a backslash is not allowed in the path" };
    if (ch === ";") return { kind: "bad", detail: "path parameters (';') are not allowed" };
    if (code < 0x21 || code === 0x7f)
      return { kind: "bad", detail: "control characters are not allowed in the path" };
    if (ch !== "%") {
      out += ch;
      continue;
    }
    const hex = rawPath.slice(i + 1, i + 3);
    if (!HEX.test(hex)) return { kind: "bad", detail: "malformed percent-encoding in the path" };
    const byte = Number.parseInt(hex, 16);
    const refused = REFUSED_ESCAPES[byte];
    if (refused) return { kind: "bad", detail: `${refused} is not allowed in the path` };
    if (byte < 0x20 || byte === 0x7f)
      return { kind: "bad", detail: "control characters are not allowed in the path" };
    out += isUnreserved(byte) ? String.fromCharCode(byte) : `%${hex.toUpperCase()}`;
    i += 2;
  }
  return out;
}

/** RFC 3986 §2.3: ALPHA / DIGIT / "-" / "." / "_" / "~". */
function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a) ||
    (byte >= 0x30 && byte <= 0x39) ||
    byte === 0x2d ||
    byte === 0x2e ||
    byte === 0x5f ||
    byte === 0x7e
  );
}
