import type { Address, Hex } from "viem";

/** The JSON-RPC a development-chain helper needs (a viem client, a Hardhat network connection's `provider`). */
export type DevChainProvider = {
  request(args: { method: string; params?: readonly unknown[] | undefined }): Promise<unknown>;
};

/** `eth_getCode` at latest. */
export async function codeAt(provider: DevChainProvider, address: Address): Promise<Hex> {
  return (await provider.request({ method: "eth_getCode", params: [address, "latest"] })) as Hex;
}

/** Puts `code` at `address` with `hardhat_setCode`, else `anvil_setCode`; throws the first refusal when neither works. */
export async function setCode(provider: DevChainProvider, address: Address, code: Hex): Promise<void> {
  const params = [address, code] as const;
  try {
    await provider.request({ method: "hardhat_setCode", params });
  } catch (hardhatError) {
    try {
      await provider.request({ method: "anvil_setCode", params });
    } catch {
      throw hardhatError;
    }
  }
}
