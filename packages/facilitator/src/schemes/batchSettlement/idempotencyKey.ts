/**
 * Idempotency keys of the scheme's on-chain writes: what the contract (or the token) enforces is what we key on,
 * so one key is at most one effect on chain (I3).
 *
 * - deposit (ERC-3009): `(chainId, asset, payer, ERC-3009 nonce)`, the token's own replay key;
 * - deposit (Permit2): `(chainId, payer, Permit2 nonce)`, Permit2's own replay key. Its signature-transfer nonces
 *   are per owner across every spender, so this is the very key of the `exact` / `upto` Permit2 settlements
 *   (`permit2Key`): one nonce is one write in the shared journal, whichever scheme carries it;
 * - claim: the ordered `(channelId, maxClaimableAmount, totalClaimed)` entries (the authorizer signs that list);
 * - settle: `(receiver, token, receivers[receiver][token].totalClaimed)`: one sweep per claimed total;
 * - refund: `(channelId, refundNonce)`, the contract's refund replay key.
 */
import { encodeAbiParameters, type Hex, keccak256 } from "viem";
import { permit2Key } from "../permit2/idempotencyKey.js";

export const depositKey = (chainId: number, asset: string, payer: string, nonce: Hex): string =>
  `deposit:${chainId}:${asset.toLowerCase()}:${payer.toLowerCase()}:${nonce.toLowerCase()}`;

export const permit2DepositKey = (chainId: number, payer: string, permit2Nonce: string): string =>
  permit2Key(chainId, payer, permit2Nonce);

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
