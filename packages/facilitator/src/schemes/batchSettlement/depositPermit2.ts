/**
 * The Permit2 side of a deposit, for any ERC-20 (no EIP-3009 needed): the payer signs Permit2's
 * `PermitWitnessTransferFrom` with the Permit2DepositCollector as spender, the deposit amount, and the channel id as
 * witness (`DepositWitness(bytes32 channelId)`); the collector pulls the funds through Permit2 into the channel
 * contract inside `deposit(config, amount, collector, data)`. When the payer has not approved Permit2, the payment
 * may carry an EIP-2612 `permit` of Permit2 (the `eip2612GasSponsoring` extension), which the collector applies first.
 *
 * The checks and their order are `@x402/evm` 2.27's `deposit-permit2.ts` (`verifyPermit2TypedData`,
 * `resolvePermit2DepositBranch`); the signature and allowance reads are the Permit2 schemes' own.
 */
import { PERMIT2_ADDRESS, PERMIT2_DEPOSIT_COLLECTOR_ADDRESS } from "@x402kit/bindings";
import { readPermit2Allowance } from "@x402kit/signer/permit2";
import {
  type Address,
  encodeAbiParameters,
  getAddress,
  type Hex,
  hashTypedData,
  type PublicClient,
  parseErc6492Signature,
} from "viem";
import { permit2Reasons } from "../permit2/reasons.js";
import type { Eip2612Permit } from "../permit2/schemas.js";
import { eip2612Extension } from "../permit2/verifyPermit2.js";
import { verifyPermit2Digest } from "../permit2/verifyPermit2Digest.js";
import { batchSettlementReasons as R } from "./reasons.js";
import type { BatchSettlementRequirements, DepositPayload, Permit2DepositAuthorization } from "./schemas.js";

export const permit2DepositCollectorAddress: Address = getAddress(PERMIT2_DEPOSIT_COLLECTOR_ADDRESS);

/** A Permit2 deadline must be at least this far ahead (s), as the official facilitator requires. */
const DEADLINE_MARGIN = 6n;

/** EIP-712 types of a Permit2 deposit: the witness binds the channel (the official `batchPermit2WitnessTypes`). */
export const permit2DepositTypes = {
  PermitWitnessTransferFrom: [
    { name: "permitted", type: "TokenPermissions" },
    { name: "spender", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
    { name: "witness", type: "DepositWitness" },
  ],
  TokenPermissions: [
    { name: "token", type: "address" },
    { name: "amount", type: "uint256" },
  ],
  DepositWitness: [{ name: "channelId", type: "bytes32" }],
} as const;

/** How a deposit pays: the server's `extra.assetTransferMethod`, else the authorization the payload carries. */
export function depositTransferMethod(payload: DepositPayload, requirements: BatchSettlementRequirements): string {
  return (
    requirements.extra?.assetTransferMethod ??
    (payload.deposit.authorization.permit2Authorization ? "permit2" : "eip3009")
  );
}

/**
 * Checks the Permit2 authorization against the deposit, in the official order: `from` is the payer, the spender is
 * the collector, the token is the asset, the amount is the deposit's, the witness is the voucher's channel, the
 * deadline is ≥ now + 6 s, and the payer signed it (ECDSA, or ERC-1271 for a contract payer).
 *
 * @returns The refusal's reason, or `undefined` when the authorization holds.
 */
export async function permit2DepositAuthorizationError(
  client: PublicClient,
  parameters: { payload: DepositPayload; requirements: BatchSettlementRequirements; chainId: number; now: bigint },
): Promise<string | undefined> {
  const { payload, requirements, chainId, now } = parameters;
  const auth = payload.deposit.authorization.permit2Authorization;
  if (!auth) return R.permit2AuthorizationRequired;
  if (getAddress(auth.from) !== getAddress(payload.channelConfig.payer)) return R.permit2InvalidSignature;
  if (getAddress(auth.spender) !== permit2DepositCollectorAddress) return R.permit2InvalidSpender;
  if (getAddress(auth.permitted.token) !== getAddress(requirements.asset)) return R.tokenMismatch;
  if (BigInt(auth.permitted.amount) !== BigInt(payload.deposit.amount)) return R.permit2AmountMismatch;
  if (auth.witness.channelId !== payload.voucher.channelId) return R.channelIdMismatch;
  if (BigInt(auth.deadline) < now + DEADLINE_MARGIN) return R.permit2DeadlineExpired;
  let digest: Hex;
  try {
    digest = hashTypedData({
      domain: { name: "Permit2", chainId, verifyingContract: getAddress(PERMIT2_ADDRESS) },
      types: permit2DepositTypes,
      primaryType: "PermitWitnessTransferFrom",
      message: {
        permitted: { token: getAddress(auth.permitted.token), amount: BigInt(auth.permitted.amount) },
        spender: getAddress(auth.spender),
        nonce: BigInt(auth.nonce),
        deadline: BigInt(auth.deadline),
        witness: { channelId: auth.witness.channelId as Hex },
      },
    });
  } catch {
    return R.permit2InvalidSignature;
  }
  const signed = await verifyPermit2Digest({ client, owner: auth.from, digest, signature: auth.signature as Hex });
  return signed ? undefined : R.permit2InvalidSignature;
}

/** How Permit2 will be allowed to move the deposit: an EIP-2612 permit in the same call, or an existing allowance. */
export type Permit2DepositBranch = { kind: "eip2612"; permit: Eip2612Permit } | { kind: "standard" };

/**
 * Resolves the deposit's branch as the official `resolvePermit2DepositBranch`: a complete `eip2612GasSponsoring`
 * extension is checked (format, `from`, asset, spender = Permit2, deadline, amount = the deposit's) and used; an
 * `erc20ApprovalGasSponsoring` extension is refused (this facilitator does not broadcast payers' approvals);
 * otherwise the payer's Permit2 allowance must cover the deposit (a failed read is refused too).
 *
 * @returns The branch, or the refusal's reason.
 */
export async function resolvePermit2DepositBranch(
  client: PublicClient,
  parameters: { payload: DepositPayload; requirements: BatchSettlementRequirements; extensions: unknown; now: bigint },
): Promise<Permit2DepositBranch | { refusal: string }> {
  const { payload, requirements, extensions, now } = parameters;
  const payer = getAddress(payload.channelConfig.payer);
  const token = getAddress(requirements.asset);
  const eip2612 = eip2612Extension(extensions);
  if (eip2612) {
    if ("invalid" in eip2612) return { refusal: eip2612.invalid };
    const info = eip2612.permit;
    if (getAddress(info.from) !== payer) return { refusal: permit2Reasons.eip2612FromMismatch };
    if (getAddress(info.asset) !== token) return { refusal: permit2Reasons.eip2612AssetMismatch };
    if (getAddress(info.spender) !== getAddress(PERMIT2_ADDRESS)) {
      return { refusal: permit2Reasons.eip2612SpenderNotPermit2 };
    }
    if (BigInt(info.deadline) < now + DEADLINE_MARGIN) return { refusal: permit2Reasons.eip2612DeadlineExpired };
    if (BigInt(info.amount) !== BigInt(payload.deposit.amount)) return { refusal: R.eip2612AmountMismatch };
    return { kind: "eip2612", permit: info };
  }
  if (erc20ApprovalExtension(extensions)) return { refusal: R.erc20ApprovalUnavailable };
  try {
    const allowance = await readPermit2Allowance({ client, token, owner: payer });
    if (allowance < BigInt(payload.deposit.amount)) return { refusal: R.permit2AllowanceRequired };
  } catch {
    return { refusal: R.permit2AllowanceRequired };
  }
  return { kind: "standard" };
}

/**
 * `collectorData` for the Permit2DepositCollector: `abi.encode(nonce, deadline, signature, eip2612PermitData)`, the
 * permit data `abi.encode(value, deadline, v, r, s)` or empty. The Permit2 signature is unwrapped from ERC-6492.
 *
 * @throws {Error} When the EIP-2612 signature is not 65 bytes (verify refuses such a payment first).
 */
export function permit2DepositCollectorData(auth: Permit2DepositAuthorization, branch: Permit2DepositBranch): Hex {
  const { signature } = parseErc6492Signature(auth.signature as Hex);
  let permitData: Hex = "0x";
  if (branch.kind === "eip2612") {
    const sig = branch.permit.signature.slice(2);
    if (sig.length !== 130) throw new Error(`invalid EIP-2612 signature length: ${sig.length / 2} bytes, expected 65`);
    permitData = encodeAbiParameters(
      [{ type: "uint256" }, { type: "uint256" }, { type: "uint8" }, { type: "bytes32" }, { type: "bytes32" }],
      [
        BigInt(branch.permit.amount),
        BigInt(branch.permit.deadline),
        Number.parseInt(sig.slice(128, 130), 16),
        `0x${sig.slice(0, 64)}`,
        `0x${sig.slice(64, 128)}`,
      ],
    );
  }
  return encodeAbiParameters(
    [{ type: "uint256" }, { type: "uint256" }, { type: "bytes" }, { type: "bytes" }],
    [BigInt(auth.nonce), BigInt(auth.deadline), signature, permitData],
  );
}

/** Whether the payment carries a complete `erc20ApprovalGasSponsoring` extension (the official extractor's test). */
function erc20ApprovalExtension(extensions: unknown): boolean {
  const info = (extensions as { erc20ApprovalGasSponsoring?: { info?: Record<string, unknown> } } | null | undefined)
    ?.erc20ApprovalGasSponsoring?.info;
  if (!info) return false;
  return ["from", "asset", "spender", "amount", "signedTransaction", "version"].every((field) => info[field]);
}
