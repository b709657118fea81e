import type { EIP1193Provider } from "@nomicfoundation/ignition-core";
import type { Hex } from "viem";
import { keccak256, numberToHex } from "viem";
import type { CreateXBytecodeMismatchErrorType, CreateXNotDeployedErrorType } from "../errors/ignition.js";
import { CreateXBytecodeMismatchError, CreateXNotDeployedError } from "../errors/ignition.js";
import {
  createXAddress,
  createXDeployedBytecodeHash,
  createXPresignedDeployer,
  createXPresignedTransaction,
} from "../generated/createx.js";

/** Ether sent to CreateX's keyless deployer: gas limit 3,000,000 at 100 gwei, as Ignition funds it. */
const PRESIGNED_DEPLOYER_FUNDING = 400_000_000_000_000_000n;

/** Parameters of {@link ensureCreateX}. */
export type EnsureCreateXParameters = {
  /** An EIP-1193 provider for the chain (a Hardhat network connection's `provider`, a viem client). */
  provider: EIP1193Provider;
  /** How long to wait for the keyless deployment to be mined, in milliseconds. Default 30,000. */
  timeoutMs?: number | undefined;
};

/** Return type of {@link ensureCreateX}. */
export type EnsureCreateXReturnType = {
  /** Whether this call deployed CreateX (false when it was there already). */
  installed: boolean;
};

/** Errors {@link ensureCreateX} may throw. */
export type EnsureCreateXErrorType = CreateXNotDeployedErrorType | CreateXBytecodeMismatchErrorType;

/**
 * Makes sure the CreateX factory (https://github.com/pcaversaccio/createx), which Ignition's CREATE2
 * strategy deploys through, is on the chain: when it is missing, funds its keyless deployer with
 * `hardhat_setBalance` (or `anvil_setBalance`) and sends CreateX's presigned, chain-agnostic deployment
 * transaction, so it lands at the same address as everywhere else.
 *
 * Ignition does this by itself only on chain 31337. Call this first for a development node with
 * another chain id, such as a local "Base Sepolia twin" on 84532; {@link deployX402Kit} calls it for you.
 *
 * @param parameters - {@link EnsureCreateXParameters}
 * @returns {@link EnsureCreateXReturnType}
 * @throws {CreateXNotDeployedError} CreateX is missing and the node cannot install it.
 * @throws {CreateXBytecodeMismatchError} Other code sits at the CreateX address.
 *
 * @example
 * ```ts
 * import { network } from "hardhat";
 * import { ensureCreateX } from "@x402kit/bindings/ignition";
 *
 * const { provider } = await network.create({ network: "hardhatBaseSepolia" });
 * await ensureCreateX({ provider });
 * ```
 */
export async function ensureCreateX(parameters: EnsureCreateXParameters): Promise<EnsureCreateXReturnType> {
  const { provider, timeoutMs = 30_000 } = parameters;
  const chainId = Number(await provider.request({ method: "eth_chainId" }));
  if (await hasCreateX(provider, chainId)) return { installed: false };

  try {
    await setBalance(provider, createXPresignedDeployer, PRESIGNED_DEPLOYER_FUNDING);
    const hash = (await provider.request({
      method: "eth_sendRawTransaction",
      params: [createXPresignedTransaction],
    })) as Hex;
    await waitForReceipt(provider, hash, timeoutMs);
  } catch (cause) {
    throw new CreateXNotDeployedError({ chainId, cause });
  }
  if (!(await hasCreateX(provider, chainId))) throw new CreateXNotDeployedError({ chainId });
  return { installed: true };
}

async function hasCreateX(provider: EIP1193Provider, chainId: number): Promise<boolean> {
  const code = (await provider.request({ method: "eth_getCode", params: [createXAddress, "latest"] })) as Hex;
  if (code === "0x") return false;
  const codeHash = keccak256(code);
  if (codeHash !== createXDeployedBytecodeHash) throw new CreateXBytecodeMismatchError({ chainId, codeHash });
  return true;
}

async function setBalance(provider: EIP1193Provider, address: string, wei: bigint): Promise<void> {
  const params = [address, numberToHex(wei)];
  try {
    await provider.request({ method: "hardhat_setBalance", params });
  } catch (hardhatError) {
    try {
      await provider.request({ method: "anvil_setBalance", params });
    } catch {
      throw hardhatError;
    }
  }
}

async function waitForReceipt(provider: EIP1193Provider, hash: Hex, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const receipt = (await provider.request({ method: "eth_getTransactionReceipt", params: [hash] })) as {
      status: Hex;
    } | null;
    if (receipt !== null) {
      if (receipt.status !== "0x1") throw new Error(`CreateX deployment transaction ${hash} reverted.`);
      return;
    }
    if (Date.now() >= deadline)
      throw new Error(`CreateX deployment transaction ${hash} not mined within ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
