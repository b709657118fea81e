import { type Abi, type Address, createTestClient, type Hex, http } from "viem";
import type { DevnetClient } from "./createDevnetClient.js";

/** One contract to put at a fixed address. */
export type OfficialPlacement = {
  /** For messages. */
  readonly name: string;
  readonly abi: Abi;
  /** Creation bytecode (no constructor arguments). */
  readonly bytecode: Hex;
  /** Where the code goes. */
  readonly official: Address;
};

/**
 * Deploys `contract` normally, then copies its runtime code to `contract.official` with `hardhat_setCode` and reads
 * it back. Only right for contracts whose runtime code does not depend on their constructor (no immutables, no
 * storage set at deployment). The normally deployed copy stays where it is, unused.
 *
 * @param client - The deployer's client.
 * @param rpcUrl - The node (for `hardhat_setCode`).
 * @param contract - {@link OfficialPlacement}
 * @throws {Error} When the deployment fails, the address already holds other code, or the read-back differs.
 */
export async function placeAtOfficialAddress(
  client: DevnetClient,
  rpcUrl: string,
  contract: OfficialPlacement,
): Promise<void> {
  const testClient = createTestClient({ mode: "hardhat", chain: client.chain, transport: http(rpcUrl) });
  const hash = await client.deployContract({ abi: contract.abi, bytecode: contract.bytecode });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || !receipt.contractAddress) throw new Error(`deployment ${hash} failed`);
  const code = await client.getCode({ address: receipt.contractAddress });
  if (code === undefined || code === "0x") throw new Error(`no code at ${receipt.contractAddress}`);
  const existing = (await client.getCode({ address: contract.official })) ?? "0x";
  if (existing !== "0x" && existing !== code) throw new Error(`${contract.official} already holds other code`);
  await testClient.setCode({ address: contract.official, bytecode: code });
  const placed = await client.getCode({ address: contract.official });
  if (placed !== code) throw new Error(`the code at ${contract.official} is not ${contract.name}'s`);
}
