import { type Address, encodeAbiParameters, type Hex, keccak256, numberToHex, toBytes } from "viem";
import { BaseError } from "./errors/base.js";
import {
  permit2Abi,
  permit2CachedChainIdOffsets,
  permit2CachedDomainSeparatorOffsets,
  permit2RuntimeCode,
} from "./generated/permit2.js";
import { codeAt, type DevChainProvider, setCode } from "./internal/devChain.js";

export { permit2Abi };

/** Uniswap's Permit2, at the same address on every chain that has it. */
export const PERMIT2_ADDRESS: Address = "0x000000000022D473030F116dDEE9F6B43aC78BA3";

/** Type of {@link Permit2NotInstalledError}. */
export type Permit2NotInstalledErrorType = Permit2NotInstalledError & { name: "Permit2NotInstalledError" };

/** Permit2 is missing and could not be put on the chain (not a development node), or does not answer as it should. */
export class Permit2NotInstalledError extends BaseError {
  override name = "Permit2NotInstalledError" as const;
  constructor({ chainId, cause }: { chainId: number; cause?: unknown }) {
    super(`Permit2 is not at ${PERMIT2_ADDRESS} on chain ${chainId} and could not be installed there.`, { cause });
  }
}

/** Parameters of {@link ensurePermit2}. */
export type EnsurePermit2Parameters = {
  /** An EIP-1193 provider for a development chain (a viem client, a Hardhat network connection's `provider`). */
  provider: DevChainProvider;
};

/**
 * Permit2's EIP-712 domain separator on `chainId` at {@link PERMIT2_ADDRESS}: what its cached immutable holds there.
 *
 * @param chainId - The chain id.
 */
export function permit2DomainSeparator(chainId: number): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "bytes32" }, { type: "uint256" }, { type: "address" }],
      [
        keccak256(toBytes("EIP712Domain(string name,uint256 chainId,address verifyingContract)")),
        keccak256(toBytes("Permit2")),
        BigInt(chainId),
        PERMIT2_ADDRESS,
      ],
    ),
  );
}

/**
 * Permit2's runtime code as its deployment at {@link PERMIT2_ADDRESS} on `chainId` holds it: its two immutables,
 * the cached chain id and the cached domain separator (which commits to the chain id and the contract's own
 * address), filled in for that chain and that address. (Copying the code of a Permit2 deployed elsewhere would sign
 * for the wrong contract: its cached separator names the other address.)
 *
 * @param chainId - The chain id.
 */
export function permit2RuntimeCodeFor(chainId: number): Hex {
  let code = permit2RuntimeCode.slice(2);
  const put = (offsets: readonly number[], word: Hex) => {
    for (const offset of offsets) code = code.slice(0, offset * 2) + word.slice(2) + code.slice((offset + 32) * 2);
  };
  put(permit2CachedChainIdOffsets, numberToHex(chainId, { size: 32 }));
  put(permit2CachedDomainSeparatorOffsets, permit2DomainSeparator(chainId));
  return `0x${code}`;
}

/**
 * Makes sure Permit2 is at its canonical address ({@link PERMIT2_ADDRESS}) on a development chain, as on every public
 * one: when the address is empty, Permit2 (compiled by the bindings from the source `@uniswap/v4-periphery` ships,
 * with its own solc 0.8.17 settings) is put there with `hardhat_setCode` / `anvil_setCode`, its immutables set for
 * this chain and address ({@link permit2RuntimeCodeFor}), and its `DOMAIN_SEPARATOR()` is read back.
 *
 * @param parameters - {@link EnsurePermit2Parameters}
 * @returns Whether this call installed it (false when code was there already).
 * @throws {Permit2NotInstalledError} The address is empty and the node cannot set code, or the copy answers wrong.
 */
export async function ensurePermit2(parameters: EnsurePermit2Parameters): Promise<{ installed: boolean }> {
  const { provider } = parameters;
  const chainId = Number(await provider.request({ method: "eth_chainId" }));
  if ((await codeAt(provider, PERMIT2_ADDRESS)) !== "0x") return { installed: false };
  try {
    await setCode(provider, PERMIT2_ADDRESS, permit2RuntimeCodeFor(chainId));
    // DOMAIN_SEPARATOR() — selector 0x3644e515.
    const separator = await provider.request({
      method: "eth_call",
      params: [{ to: PERMIT2_ADDRESS, data: "0x3644e515" }, "latest"],
    });
    if (separator !== permit2DomainSeparator(chainId)) {
      throw new Error(`DOMAIN_SEPARATOR() answered ${String(separator)}, not ${permit2DomainSeparator(chainId)}`);
    }
  } catch (cause) {
    throw new Permit2NotInstalledError({ chainId, cause });
  }
  return { installed: true };
}
