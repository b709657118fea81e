import {
  PERMIT2_ADDRESS,
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
  x402ExactPermit2ProxyAbi,
  x402ExactPermit2ProxyBytecode,
  x402UptoPermit2ProxyAbi,
  x402UptoPermit2ProxyBytecode,
} from "@x402kit/bindings";
import { type Abi, type Address, type Chain, getAddress, type Hex } from "viem";
import type { DevnetAccount } from "./accounts.js";
import { DeploymentError } from "./errors.js";
import { createDevnetClient } from "./internal/createDevnetClient.js";
import { placeAtOfficialAddress } from "./internal/placeAtOfficialAddress.js";

export type InstallPermit2ProxiesParameters = {
  rpcUrl: string;
  chain: Chain;
  /** Sends the two deployments. */
  deployer: DevnetAccount;
};

/** Where the devnet's Permit2 proxies answer: the official `@x402/evm` 2.27 addresses. */
export type Permit2ProxyAddresses = {
  /** x402kit's `X402ExactPermit2Proxy`, at `X402_EXACT_PERMIT2_PROXY_ADDRESS` (`x402ExactPermit2ProxyAddress`). */
  readonly exactPermit2Proxy: Address;
  /** x402kit's `X402UptoPermit2Proxy`, at `X402_UPTO_PERMIT2_PROXY_ADDRESS` (`x402UptoPermit2ProxyAddress`). */
  readonly uptoPermit2Proxy: Address;
};

/**
 * Puts x402kit's `exact` (`assetTransferMethod: "permit2"`) and `upto` Permit2 proxies at the addresses the official
 * `@x402/evm` 2.27 SDK hard-codes (`0x402085c2…20001`, `0x4020A4f3…40002`), so its client signs Permit2 transfers
 * with them as spender and its facilitator settles through them, unchanged, on a devnet:
 *
 * 1. deploys `X402ExactPermit2Proxy` and `X402UptoPermit2Proxy` normally (from `@x402kit/bindings`' bytecode);
 * 2. copies their runtime code to the official addresses with `hardhat_setCode` (neither has immutables, storage or
 *    a constructor: Permit2's address is a constant, the reentrancy guard is transient);
 * 3. reads back: the code at each official address is the deployed code, and `PERMIT2()` is Permit2's canonical
 *    address (which `deployContracts` installs first).
 *
 * @param parameters - {@link InstallPermit2ProxiesParameters}
 * @returns The official addresses, now holding x402kit's proxies.
 * @throws {DeploymentError} When an official address already holds other code, or a step or a read-back fails.
 */
export async function installPermit2Proxies(
  parameters: InstallPermit2ProxiesParameters,
): Promise<Permit2ProxyAddresses> {
  const client = createDevnetClient({
    rpcUrl: parameters.rpcUrl,
    chain: parameters.chain,
    account: parameters.deployer,
  });
  const contracts = [
    {
      name: "X402ExactPermit2Proxy",
      abi: x402ExactPermit2ProxyAbi as Abi,
      bytecode: x402ExactPermit2ProxyBytecode as Hex,
      official: getAddress(X402_EXACT_PERMIT2_PROXY_ADDRESS),
    },
    {
      name: "X402UptoPermit2Proxy",
      abi: x402UptoPermit2ProxyAbi as Abi,
      bytecode: x402UptoPermit2ProxyBytecode as Hex,
      official: getAddress(X402_UPTO_PERMIT2_PROXY_ADDRESS),
    },
  ] as const;
  for (const contract of contracts) {
    try {
      await placeAtOfficialAddress(client, parameters.rpcUrl, contract);
      const permit2 = await client.readContract({
        address: contract.official,
        abi: contract.abi,
        functionName: "PERMIT2",
      });
      if (getAddress(permit2 as Address) !== getAddress(PERMIT2_ADDRESS)) {
        throw new Error(`${contract.name}.PERMIT2() is ${String(permit2)}, not ${PERMIT2_ADDRESS}`);
      }
    } catch (cause) {
      throw new DeploymentError({ step: `place ${contract.name} at its official address ${contract.official}`, cause });
    }
  }
  return {
    exactPermit2Proxy: getAddress(X402_EXACT_PERMIT2_PROXY_ADDRESS),
    uptoPermit2Proxy: getAddress(X402_UPTO_PERMIT2_PROXY_ADDRESS),
  };
}
