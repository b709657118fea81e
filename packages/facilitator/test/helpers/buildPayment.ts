import { type Address, type Hex, keccak256, toHex } from "viem";
import type { ExactPayment } from "../../src/domain/types.js";

/**
 * Builds a well-formed {@link ExactPayment} for store and engine unit tests (its signature is not valid).
 *
 * @param overrides - Fields to replace; `seed` varies the nonce.
 */
export function buildPayment(overrides: Partial<ExactPayment> & { seed?: string } = {}): ExactPayment {
  const { seed = "1", ...rest } = overrides;
  const from = "0x1111111111111111111111111111111111111111" as Address;
  const payTo = "0x2222222222222222222222222222222222222222" as Address;
  return {
    x402Version: 2,
    network: "eip155:31337",
    caip2: "eip155:31337",
    chainId: 31337,
    asset: "0x3333333333333333333333333333333333333333" as Address,
    payTo,
    amount: 1000n,
    domain: { name: "USDC", version: "2" },
    authorization: {
      from,
      to: payTo,
      value: 1000n,
      validAfter: 0n,
      validBefore: 4_000_000_000n,
      nonce: keccak256(toHex(`nonce-${seed}`)),
    },
    signature: `0x${"ab".repeat(65)}` as Hex,
    ...rest,
  };
}
