import { type Address, getAddress } from "viem";

/**
 * `eip155:<chainId>:<checksummed address>`.
 *
 * @param chainId - EIP-155 chain id.
 * @param address - The address.
 * @returns The CAIP-10 style id.
 */
export function formatCaip10(chainId: number | bigint, address: Address): string {
  return `eip155:${BigInt(chainId)}:${getAddress(address)}`;
}
