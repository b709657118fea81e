/**
 * Idempotency keys of the scheme's on-chain writes: what the contract (or the token) enforces is what we key on,
 * so one key is at most one effect on chain (I3).
 *
 * - deposit: `(chainId, asset, payer, ERC-3009 nonce)`, the token's own replay key;
 * - claim: the ordered `(channelId, maxClaimableAmount, totalClaimed)` entries (the authorizer signs that list);
 * - settle: `(receiver, token, receivers[receiver][token].totalClaimed)`: one sweep per claimed total;
 * - refund: `(channelId, refundNonce)`, the contract's refund replay key.
 */
import { encodeAbiParameters, type Hex, keccak256 } from "viem";

export const depositKey = (chainId: number, asset: string, payer: string, nonce: Hex): string =>
  `deposit:${chainId}:${asset.toLowerCase()}:${payer.toLowerCase()}:${nonce.toLowerCase()}`;

export const claimKey = (
  chainId: number,
  entries: readonly { channelId: Hex; maxClaimableAmount: bigint; totalClaimed: bigint }[],
): string =>
  `claim:${chainId}:${keccak256(
    encodeAbiParameters(
      [{ type: "tuple[]", components: [{ type: "bytes32" }, { type: "uint128" }, { type: "uint128" }] }],
      [entries.map((e) => [e.channelId, e.maxClaimableAmount, e.totalClaimed] as const)],
    ),
  )}`;

export const settleKey = (chainId: number, receiver: string, token: string, totalClaimed: bigint): string =>
  `settle:${chainId}:${receiver.toLowerCase()}:${token.toLowerCase()}:${totalClaimed}`;

export const refundKey = (chainId: number, channelId: Hex, refundNonce: bigint): string =>
  `refund:${chainId}:${channelId.toLowerCase()}:${refundNonce}`;
