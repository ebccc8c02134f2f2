import { TransportError } from "../../core/transport.ts";

/** The TransportError `call` rejects with; fails the test if it resolves or rejects with anything else. */
export async function transportFailure(call: Promise<unknown>): Promise<TransportError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TransportError) return error;
    throw error;
  }
  throw new Error("expected a TransportError");
}
