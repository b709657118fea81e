import { createPaymentPayload } from "@x402kit/signer";
import type { Address, Hex } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { TOKEN_NAME, TOKEN_VERSION } from "../chain/setupChain.js";

/** A signed payment and the `/verify` + `/settle` body that carries it (x402 v2). */
export type Payment = {
  payer: Address;
  payTo: Address;
  value: bigint;
  nonce: Hex;
  body: { x402Version: 2; paymentPayload: unknown; paymentRequirements: Record<string, unknown> };
};

/** Options of {@link signPayments}. */
export type SignPaymentsOptions = {
  chainId: number;
  token: Address;
  payers: readonly PrivateKeyAccount[];
  payees: readonly Address[];
  /** Payments per payer. */
  perPayer: number;
  /** Token units per payment. */
  value: bigint;
  /** Validity window after signing (x402 `maxTimeoutSeconds`). */
  maxTimeoutSeconds: number;
  /** Unix seconds to sign at (the later of the wall and chain clocks). */
  now: bigint;
};

/**
 * Signs every payment of a run up front with `@x402kit/signer`, the way the official client signs
 * (`to = payTo`, exact amount, random nonce, `validAfter = now - 600`), so that the load itself
 * spends no CPU on signing. Payer `i` pays payee `i % payees.length`.
 *
 * @param options - {@link SignPaymentsOptions}
 * @returns One list of payments per payer, in the order the payer sends them.
 */
export async function signPayments(options: SignPaymentsOptions): Promise<Payment[][]> {
  const network = `eip155:${options.chainId}`;
  return Promise.all(
    options.payers.map(async (payer, i) => {
      const payTo = options.payees[i % options.payees.length] as Address;
      const requirements = {
        scheme: "exact",
        network,
        amount: options.value.toString(),
        asset: options.token,
        payTo,
        maxTimeoutSeconds: options.maxTimeoutSeconds,
        extra: { name: TOKEN_NAME, version: TOKEN_VERSION },
      };
      const paymentRequired = {
        x402Version: 2 as const,
        resource: { url: "http://127.0.0.1/bench", description: "x402kit bench", mimeType: "application/json" },
        accepts: [requirements],
      };
      const payments: Payment[] = [];
      for (let j = 0; j < options.perPayer; j++) {
        const { paymentPayload, authorization } = await createPaymentPayload({
          signer: payer,
          paymentRequired,
          now: options.now,
        });
        payments.push({
          payer: payer.address,
          payTo,
          value: options.value,
          nonce: authorization.nonce,
          body: { x402Version: 2, paymentPayload, paymentRequirements: requirements },
        });
      }
      return payments;
    }),
  );
}
