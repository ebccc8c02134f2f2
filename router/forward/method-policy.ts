/** Methods the router forwards to a region: RFC 9110 §9.3's, less CONNECT and TRACE, plus PATCH (RFC 5789). */
export const FORWARDED_METHODS: ReadonlySet<string> = new Set([
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "OPTIONS",
]);

/** Methods the router knows and will not forward: CONNECT (a tunnel) and TRACE (echoes headers back, XST). */
const REFUSED_METHODS: ReadonlySet<string> = new Set(["CONNECT", "TRACE"]);

export interface MethodRefusal {
  status: 405 | 501;
  error: "method_not_allowed" | "method_not_implemented";
  detail: string;
}

/**
 * The router answers a method it does not forward itself (issue 13 (docs/issues.md): five TRACEs used to reach
 * the transport, fail as 502, count against the region and fail it over). RFC 9110 §15.5.6:
 * 405 with Allow for a method the target knows but does not support; §15.6.2: 501 for one it
 * does not recognise. Methods are case-sensitive (§9.1): `get` is not GET.
 */
export function refuseMethod(method: string): MethodRefusal | undefined {
  if (FORWARDED_METHODS.has(method)) return undefined;
  if (REFUSED_METHODS.has(method))
    return { status: 405, error: "method_not_allowed", detail: `the ${method} method is not served here` };
  return {
    status: 501,
    error: "method_not_implemented",
    detail: `the method ${JSON.stringify(method.slice(0, 40))} is not supported`,
  };
}

export const ALLOW_HEADER = [...FORWARDED_METHODS].join(", ");
