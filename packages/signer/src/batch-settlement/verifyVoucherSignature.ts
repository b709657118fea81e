import { type Address, type Hex, isAddressEqual, recoverTypedDataAddress } from "viem";
import { buildVoucherTypedData } from "./signVoucher.js";
import type { Voucher } from "./types.js";

/**
 * Whether a voucher was signed by `signer` (the channel's `payerAuthorizer`) for `network`. ECDSA only: a smart
 * wallet's ERC-1271 signature does not recover and returns `false`.
 *
 * @param parameters - The voucher, the expected signer and the network (or chain id).
 * @returns `true` when the signature recovers to `signer`.
 */
export async function verifyVoucherSignature(parameters: {
  voucher: Pick<Voucher, "channelId" | "maxClaimableAmount"> & { signature: Hex };
  signer: Address;
  network: string | number;
}): Promise<boolean> {
  const { voucher } = parameters;
  try {
    const recovered = await recoverTypedDataAddress({
      ...buildVoucherTypedData({
        channelId: voucher.channelId,
        maxClaimableAmount: voucher.maxClaimableAmount,
        network: parameters.network,
      }),
      signature: voucher.signature,
    } as Parameters<typeof recoverTypedDataAddress>[0]);
    return isAddressEqual(recovered, parameters.signer);
  } catch {
    return false;
  }
}
