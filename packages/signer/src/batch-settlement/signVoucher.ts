import type { Hex } from "viem";
import { InvalidChannelConfigError } from "../errors/batchSettlement.js";
import { resolveSigner } from "../internal/resolveSigner.js";
import type { SignableTypedData, TypedDataSigner } from "../signer/types.js";
import { getBatchSettlementDomain, toChainId } from "./computeChannelId.js";
import { MAX_UINT128, voucherTypes } from "./constants.js";
import type { Voucher } from "./types.js";

/**
 * The EIP-712 typed data of a voucher.
 *
 * @param parameters - Channel id, cumulative ceiling and network (or chain id).
 * @returns Typed data for any viem signer.
 * @throws {InvalidChannelConfigError} When the amount is not a uint128.
 */
export function buildVoucherTypedData(parameters: {
  channelId: Hex;
  maxClaimableAmount: bigint | string;
  network: string | number;
}): SignableTypedData {
  const amount = toUint128(parameters.maxClaimableAmount, "maxClaimableAmount");
  return {
    domain: getBatchSettlementDomain(toChainId(parameters.network)),
    types: voucherTypes,
    primaryType: "Voucher",
    message: { channelId: parameters.channelId, maxClaimableAmount: amount },
  };
}

/**
 * Signs a voucher: the receiver may claim up to `maxClaimableAmount` in total from the channel.
 *
 * @param parameters - The voucher signer (the channel's `payerAuthorizer`), channel, ceiling and network.
 * @returns The voucher as sent on the wire.
 */
export async function signVoucher(parameters: {
  signer: TypedDataSigner;
  channelId: Hex;
  maxClaimableAmount: bigint | string;
  network: string | number;
}): Promise<Voucher> {
  const typedData = buildVoucherTypedData(parameters);
  const signature = await resolveSigner(parameters.signer).signTypedData(typedData);
  return {
    channelId: parameters.channelId,
    maxClaimableAmount: BigInt(parameters.maxClaimableAmount).toString(),
    signature,
  };
}

/** @internal */
export function toUint128(value: bigint | string, field: string): bigint {
  let amount: bigint;
  try {
    amount = BigInt(value);
  } catch {
    throw new InvalidChannelConfigError({ reason: `${field} is not an integer` });
  }
  if (typeof value === "string" && !/^\d+$/.test(value)) {
    throw new InvalidChannelConfigError({ reason: `${field} is not an unsigned decimal integer` });
  }
  if (amount < 0n || amount > MAX_UINT128) throw new InvalidChannelConfigError({ reason: `${field} exceeds uint128` });
  return amount;
}
