/**
 * EIP-712 types of the router's upto settler commitment. `hashStruct(UptoSettler)`, as a uint256, is the Permit2
 * nonce an `upto` payer signs for a payment settled through `BatchSettlementRouter.settlePermit2` (see
 * {@link computeUptoSettlerNonce}); it binds the chain, the router and the one account that may settle it.
 *
 * @example
 * ```ts
 * import { hashStruct } from "viem";
 * import { uptoSettlerTypes } from "@x402kit/bindings/router";
 * const nonce = BigInt(hashStruct({ types: uptoSettlerTypes, primaryType: "UptoSettler", data: commitment }));
 * ```
 */
export const uptoSettlerTypes = {
  UptoSettler: [
    { name: "chainId", type: "uint256" },
    { name: "router", type: "address" },
    { name: "settler", type: "address" },
    { name: "salt", type: "bytes32" },
  ],
} as const;

/**
 * `keccak256("UptoSettler(uint256 chainId,address router,address settler,bytes32 salt)")`, the router's
 * `UPTO_SETTLER_TYPEHASH`.
 */
export const UPTO_SETTLER_TYPEHASH = "0x8d93a5b45dee1be71f48f3b0941a4128084fd20ebd17c420a7d3d1b653a34af1" as const;
