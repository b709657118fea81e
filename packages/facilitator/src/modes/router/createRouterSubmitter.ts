import { batchSettlementRouterAbi } from "@x402kit/bindings";
import {
  decodeSettlementResults,
  encodeSettlementBatch,
  FEE_COMMITMENT_TYPEHASH,
  parseSettlementLogs,
  RECOMMENDED_ITEM_GAS_LIMIT,
} from "@x402kit/bindings/router";
import {
  type Address,
  decodeFunctionResult,
  encodeFunctionData,
  getAddress,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import { isTransportError } from "../../chain/isTransportError.js";
import { RouterMisconfiguredError } from "../../domain/errors.js";
import type { ExactPayment } from "../../domain/types.js";
import type { BatchItemResult, BatchSubmitter, RouterFailure, SimulateBatchParameters } from "../batchSubmitter.js";

/**
 * Most payments per batch transaction. EIP-7825 (Osaka, already enforced by Hardhat and coming to every
 * chain) caps a transaction at 2^24 gas. A payment costs about 42k gas through the router against TestUSDC
 * and about 50k against USDC; the router keeps about 120k in hand for the last item, and the lane adds 20%
 * to the estimate: 250 × 50k + 120k, plus 20%, is about 15.1M, under the cap with room for a few smart-wallet
 * items.
 */
export const ROUTER_MAX_ITEMS = 250;

/** Options of {@link createRouterSubmitter}. */
export type CreateRouterSubmitterParameters = {
  /** Router address per chain id. */
  routers: ReadonlyMap<number, Address>;
  /**
   * Gas forwarded to each item's token call (default 150,000, the router's recommendation): enough for an EOA
   * payment (about 38k on TestUSDC, 45k on USDC) and ordinary ERC-1271 wallets, while bounding what a
   * gas-burning wallet can cost the batch. An item that needs more is sent on its own (direct).
   */
  itemGasLimit?: bigint | undefined;
  /** Most payments per transaction (default and maximum {@link ROUTER_MAX_ITEMS}). */
  maxItems?: number | undefined;
};

/**
 * The {@link BatchSubmitter} for x402kit's `BatchSettlementRouter` in standard mode: ordinary x402 `exact`
 * `TransferWithAuthorization` payments, packed with `encodeSettlementBatch` (127 calldata bytes for a typical
 * payment) and sent as `settle(batch, itemGasLimit)`. Per-item outcomes come from the router's
 * `AuthorizationSettled` / `AuthorizationFailed` events, each settled item with the token logs that belong to
 * it; the engine decides settledness from those token logs.
 *
 * @param parameters - {@link CreateRouterSubmitterParameters}
 * @returns The submitter.
 *
 * @example
 * ```ts
 * const submitter = createRouterSubmitter({ routers: new Map([[84532, router]]) });
 * const facilitator = createFacilitator({ ...config, mode: "batched" }, { batchSubmitter: submitter });
 * ```
 */
export function createRouterSubmitter(parameters: CreateRouterSubmitterParameters): BatchSubmitter {
  const itemGasLimit = parameters.itemGasLimit ?? RECOMMENDED_ITEM_GAS_LIMIT;
  const maxItems = Math.min(parameters.maxItems ?? ROUTER_MAX_ITEMS, ROUTER_MAX_ITEMS);
  const routers = new Map([...parameters.routers].map(([chainId, address]) => [chainId, getAddress(address)]));

  return {
    maxItems,

    routerAddress: (chainId) => routers.get(chainId),

    async checkRouter(client: PublicClient, chainId: number) {
      const router = routers.get(chainId);
      const network = `eip155:${chainId}`;
      if (!router) throw new RouterMisconfiguredError({ network, router: "(none)", problem: "no address configured" });
      const code = await client.getCode({ address: router });
      if (!code || code === "0x") {
        throw new RouterMisconfiguredError({ network, router, problem: "no contract at this address" });
      }
      const typeHash = await client
        .readContract({ address: router, abi: batchSettlementRouterAbi, functionName: "FEE_COMMITMENT_TYPEHASH" })
        .catch((error: unknown) => {
          if (isTransportError(error)) throw error;
          return undefined;
        });
      if (typeHash !== FEE_COMMITMENT_TYPEHASH) {
        throw new RouterMisconfiguredError({
          network,
          router,
          problem: "the contract there is not a BatchSettlementRouter (FEE_COMMITMENT_TYPEHASH differs)",
        });
      }
    },

    encode(payments: readonly ExactPayment[]) {
      const batch = encodeSettlementBatch(
        payments.map((p) => ({
          token: p.asset,
          from: p.authorization.from,
          to: p.authorization.to,
          value: p.authorization.value,
          validAfter: p.authorization.validAfter,
          validBefore: p.authorization.validBefore,
          nonce: p.authorization.nonce,
          signature: p.signature,
        })),
      );
      return encodeFunctionData({ abi: batchSettlementRouterAbi, functionName: "settle", args: [batch, itemGasLimit] });
    },

    async simulate({ client, router, sender, data }: SimulateBatchParameters) {
      let returned: `0x${string}` | undefined;
      try {
        ({ data: returned } = await client.call({ account: sender, to: router, data }));
      } catch (error) {
        if (isTransportError(error)) throw error;
        return undefined; // the whole call would revert: the estimate will say why
      }
      if (!returned) return undefined;
      const results = decodeSettlementResults(
        decodeFunctionResult({ abi: batchSettlementRouterAbi, functionName: "settle", data: returned }),
      );
      return results.map((reason): RouterFailure | undefined =>
        reason === "None" ? undefined : { reason, errorSelector: undefined },
      );
    },

    decode(receipt: TransactionReceipt, chainId: number): BatchItemResult[] {
      const router = routers.get(chainId);
      if (!router || receipt.status !== "success") return [];
      return parseSettlementLogs({ logs: receipt.logs, router }).map((item) =>
        item.status === "settled"
          ? { index: item.index, status: "settled", logs: item.logs }
          : {
              index: item.index,
              status: "skipped",
              failure: { reason: item.reason, errorSelector: item.errorSelector },
            },
      );
    },
  };
}
