// Exact scheme: reads whether the token holds an EIP-3009 authorization as used (or canceled).

import { eip3009Abi } from "../../chain/eip3009Abi.js";
import type { NetworkRuntime } from "../../chain/networkRuntime.js";
import { withRpc } from "../../chain/withRpc.js";
import type { ExactPayment } from "../../domain/types.js";

/**
 * `authorizationState(from, nonce)` on the payment's token: the chain's word on the nonce.
 *
 * @param network - The payment's network.
 * @param payment - The payment.
 * @returns Whether its authorization nonce is used.
 */
export const authorizationUsed = (network: NetworkRuntime, payment: ExactPayment): Promise<boolean> =>
  withRpc(network, () =>
    network.client.readContract({
      address: payment.asset,
      abi: eip3009Abi,
      functionName: "authorizationState",
      args: [payment.authorization.from, payment.authorization.nonce],
    }),
  );
