/**
 * Merges a client's extension data into the extensions a server declared, as the official `@x402/core` client does
 * (`x402Client.mergeExtensions`): what the server declared stays as it is (the resource server checks the echo), the
 * client adds the fields the server left out, nested objects are merged the same way, and a key the server did not
 * declare as an object takes the client's value.
 *
 * @param server - `PaymentRequired.extensions`.
 * @param client - The extensions the client adds (e.g. `eip2612GasSponsoring` with its signed `info`).
 * @returns The payment's `extensions`, or `undefined` when both are.
 */
export function mergeExtensions(
  server: Record<string, unknown> | undefined,
  client: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (!client) return server;
  if (!server) return client;
  const merged: Record<string, unknown> = { ...server };
  for (const [key, value] of Object.entries(client)) {
    const declared = merged[key];
    merged[key] = isRecord(declared) && isRecord(value) ? addMissing(declared, value) : value;
  }
  return merged;
}

function addMissing(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(source)) {
    const existing = out[key];
    if (isRecord(existing) && isRecord(value)) out[key] = addMissing(existing, value);
    else if (!Object.hasOwn(out, key)) out[key] = value;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
