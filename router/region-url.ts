/**
 * The URL of `pathAndQuery` at a region's configured endpoint. String concatenation, not
 * `new URL(path, base)`: a path such as `//evil.example/x` would otherwise be read as a
 * network-path reference and change the host (RFC 3986 §4.2). The origin always comes from config.
 */
export function regionUrl(endpoint: string, pathAndQuery: string): string {
  const base = endpoint.endsWith("/") ? endpoint.slice(0, -1) : endpoint;
  return base + (pathAndQuery.startsWith("/") ? pathAndQuery : `/${pathAndQuery}`);
}

/**
 * The path and query of a request URL, whatever its form. An absolute-form request target
 * (`GET http://other.example/x HTTP/1.1`) or a forged Host only ever changes the part this
 * drops: the router forwards the path to the configured region and nowhere else.
 */
export function pathAndQueryOf(url: string): string {
  if (url.startsWith("/")) return stripFragment(url);
  const scheme = url.indexOf("://");
  const start = scheme === -1 ? 0 : scheme + 3;
  const end = authorityEnd(url, start);
  const rest = url.slice(end);
  if (rest === "" || rest.startsWith("#")) return "/";
  return stripFragment(rest.startsWith("?") ? `/${rest}` : rest);
}

function stripFragment(path: string): string {
  const hash = path.indexOf("#");
  return hash === -1 ? path : path.slice(0, hash);
}

/** The authority (host[:port]) of an absolute URL, or undefined for a path. Reported in Forwarded only. */
export function authorityOf(url: string): string | undefined {
  const scheme = url.indexOf("://");
  if (scheme === -1) return undefined;
  const end = authorityEnd(url, scheme + 3);
  const authority = url.slice(scheme + 3, end);
  const at = authority.lastIndexOf("@");
  return at === -1 ? authority : authority.slice(at + 1);
}

/**
 * Where the authority that starts at `start` ends: the first `/`, `?` or `#`, else the end.
 * Character codes, not `url[i]` (a one-character string per step): the router reads every
 * forwarded request's URL this way (bench/real-code-floor.ts profile, issue 18).
 */
function authorityEnd(url: string, start: number): number {
  let end = start;
  for (; end < url.length; end++) {
    const code = url.charCodeAt(end);
    if (code === 47 || code === 63 || code === 35) break;
  }
  return end;
}
