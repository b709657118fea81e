import { type Address, type Hex, isHex } from "viem";
import { BaseError } from "./errors/base.js";
import { multicall3CreationCode } from "./generated/multicall3.js";
import { codeAt, type DevChainProvider, setCode } from "./internal/devChain.js";

/** Multicall3's address, the same on every chain that has it (Base, Base Sepolia, and most others). */
export const MULTICALL3_ADDRESS: Address = "0xcA11bde05977b3631167028862bE2a173976CA11";

/** Type of {@link Multicall3NotInstalledError}. */
export type Multicall3NotInstalledErrorType = Multicall3NotInstalledError & { name: "Multicall3NotInstalledError" };

/** Multicall3 is missing and the node cannot be given it (not a development node). */
export class Multicall3NotInstalledError extends BaseError {
  override name = "Multicall3NotInstalledError" as const;
  constructor({ cause }: { cause?: unknown } = {}) {
    super(`Multicall3 is not at ${MULTICALL3_ADDRESS} and the node refused hardhat_setCode / anvil_setCode.`, {
      cause,
    });
  }
}

/** Parameters of {@link ensureMulticall3}. */
export type EnsureMulticall3Parameters = {
  /** An EIP-1193 provider for a development chain (a viem client, a Hardhat network connection's `provider`). */
  provider: DevChainProvider;
};

/**
 * Makes sure Multicall3 is at its canonical address ({@link MULTICALL3_ADDRESS}) on a development chain, as on every
 * public one, so code that calls it there (viem's `multicall`, the official x402 facilitator's ERC-6492 simulation,
 * x402kit's counterfactual-wallet settlements) works locally. When the address is empty, Multicall3's creation code
 * (as viem ships it) is run in an `eth_call` to get its runtime code, which `hardhat_setCode` (or `anvil_setCode`)
 * puts there; Multicall3 has no constructor arguments or immutables, so the copy is the contract itself.
 *
 * @param parameters - {@link EnsureMulticall3Parameters}
 * @returns Whether this call installed it (false when code was there already).
 * @throws {Multicall3NotInstalledError} The address is empty and the node cannot set code.
 */
export async function ensureMulticall3(parameters: EnsureMulticall3Parameters): Promise<{ installed: boolean }> {
  const { provider } = parameters;
  if ((await codeAt(provider, MULTICALL3_ADDRESS)) !== "0x") return { installed: false };
  try {
    const runtime = (await provider.request({
      method: "eth_call",
      params: [{ data: multicall3CreationCode }, "latest"],
    })) as Hex;
    if (!isHex(runtime) || runtime.length < 100) throw new Error("Multicall3's creation code returned no runtime code");
    await setCode(provider, MULTICALL3_ADDRESS, runtime);
  } catch (cause) {
    throw new Multicall3NotInstalledError({ cause });
  }
  return { installed: true };
}
