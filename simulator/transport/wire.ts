import { fileRawResponse, type RawRequest, type RawResponse, rawRequestOf } from "../../core/raw-exchange.ts";
import { responseParts } from "./light-response.ts";
import { WireRequest } from "./wire-request.ts";

/**
 * What a server's app receives for a request sent over the simulated network. The router sends
 * a raw-only request (its parts filed in a RawRequest, see core/raw-exchange.ts):
 * the server gets a WireRequest built from those parts, as a live server builds one from the
 * bytes it reads. Requests built by the simulator or by region code arrive as they were sent.
 */
export function receivedRequest(request: Request): Request {
  const raw = rawRequestOf(request);
  if (!raw) return request;
  return new WireRequest(request.url, request.method, raw.headers, raw.body) as unknown as Request;
}

/**
 * A response travelling back to a raw-capable sender (the router): its status, header fields
 * and body are filed as the RawResponse the router's fast path reads, as the router's HTTP
 * transport files what it read off the socket. A response whose body is a stream is left as it
 * is, and the router reads it through the Response interface.
 */
export function answerRaw(raw: RawRequest | undefined, response: Response): Response {
  if (!raw) return response;
  const parts = responseParts(response);
  if (!parts) return response;
  return fileRawResponse(response, parts satisfies RawResponse);
}
