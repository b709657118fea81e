import {
  BATCH_SETTLEMENT_ADDRESS,
  ERC3009_DEPOSIT_COLLECTOR_ADDRESS,
  erc3009DepositCollectorAbi,
  erc3009DepositCollectorBytecode,
  PERMIT2_DEPOSIT_COLLECTOR_ADDRESS,
  permit2DepositCollectorAbi,
  permit2DepositCollectorBytecode,
  x402BatchSettlementAbi,
  x402BatchSettlementBytecode,
} from "@x402kit/bindings";
import { type Abi, type Address, type Chain, getAddress, type Hex } from "viem";
import type { DevnetAccount } from "./accounts.js";
import { DeploymentError } from "./errors.js";
import { createDevnetClient } from "./internal/createDevnetClient.js";
import { placeAtOfficialAddress } from "./internal/placeAtOfficialAddress.js";

/** The EIP-712 domain name and version of the batch-settlement channel contract (the official SDK signs under it). */
export const BATCH_SETTLEMENT_DOMAIN_NAME = "x402 Batch Settlement";
export const BATCH_SETTLEMENT_DOMAIN_VERSION = "1";

export type InstallBatchSettlementParameters = {
  rpcUrl: string;
  chain: Chain;
  /** Sends the three deployments. */
  deployer: DevnetAccount;
};

/** Where the devnet's batch-settlement contracts answer: the official `@x402/evm` 2.27 addresses. */
export type BatchSettlementAddresses = {
  /** x402kit's `X402BatchSettlement`, at `BATCH_SETTLEMENT_ADDRESS`. */
  readonly batchSettlement: Address;
  /** x402kit's `ERC3009DepositCollector`, at `ERC3009_DEPOSIT_COLLECTOR_ADDRESS`. */
  readonly erc3009DepositCollector: Address;
  /** x402kit's `Permit2DepositCollector`, at `PERMIT2_DEPOSIT_COLLECTOR_ADDRESS` (it pulls through Permit2 at its
   * canonical address, which `deployContracts` installs first). */
  readonly permit2DepositCollector: Address;
};

/**
 * Puts x402kit's `batch-settlement` channel contract and its ERC-3009 and Permit2 deposit collectors at the addresses
 * the official `@x402/evm` 2.27 SDK hard-codes (`BATCH_SETTLEMENT_ADDRESS`, `ERC3009_DEPOSIT_COLLECTOR_ADDRESS`,
 * `PERMIT2_DEPOSIT_COLLECTOR_ADDRESS`), so its client, resource server and facilitator run unchanged against a
 * devnet, with either `assetTransferMethod`:
 *
 * 1. deploys `X402BatchSettlement`, `ERC3009DepositCollector` and `Permit2DepositCollector` normally (from
 *    `@x402kit/bindings`' bytecode);
 * 2. copies their runtime code to the official addresses with `hardhat_setCode` (none has immutables or storage
 *    set by a constructor: the channel contract recomputes its EIP-712 domain from `block.chainid` and
 *    `address(this)`, the collectors from `block.chainid` and their caller);
 * 3. reads back: the code at each official address is the deployed code, and the channel contract's
 *    `eip712Domain()` names `x402 Batch Settlement`, version `1`, this chain and the official address.
 *
 * The normally deployed copies stay where they are, unused.
 *
 * @param parameters - {@link InstallBatchSettlementParameters}
 * @returns The official addresses, now holding x402kit's contracts.
 * @throws {DeploymentError} When an official address already holds other code, or a step or a read-back fails.
 */
export async function installBatchSettlement(
  parameters: InstallBatchSettlementParameters,
): Promise<BatchSettlementAddresses> {
  const { chain } = parameters;
  const client = createDevnetClient({ rpcUrl: parameters.rpcUrl, chain, account: parameters.deployer });
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (cause) {
      throw new DeploymentError({ step: name, cause });
    }
  };
  const contracts = [
    {
      name: "X402BatchSettlement",
      abi: x402BatchSettlementAbi as Abi,
      bytecode: x402BatchSettlementBytecode as Hex,
      official: getAddress(BATCH_SETTLEMENT_ADDRESS),
    },
    {
      name: "ERC3009DepositCollector",
      abi: erc3009DepositCollectorAbi as Abi,
      bytecode: erc3009DepositCollectorBytecode as Hex,
      official: getAddress(ERC3009_DEPOSIT_COLLECTOR_ADDRESS),
    },
    {
      name: "Permit2DepositCollector",
      abi: permit2DepositCollectorAbi as Abi,
      bytecode: permit2DepositCollectorBytecode as Hex,
      official: getAddress(PERMIT2_DEPOSIT_COLLECTOR_ADDRESS),
    },
  ] as const;

  for (const contract of contracts) {
    await step(`place ${contract.name} at its official address ${contract.official}`, () =>
      placeAtOfficialAddress(client, parameters.rpcUrl, contract),
    );
  }

  const batchSettlement = getAddress(BATCH_SETTLEMENT_ADDRESS);
  await step(`read ${batchSettlement}'s eip712Domain()`, async () => {
    const [, name, version, chainId, verifyingContract] = await client.readContract({
      address: batchSettlement,
      abi: x402BatchSettlementAbi,
      functionName: "eip712Domain",
    });
    const expected = `${BATCH_SETTLEMENT_DOMAIN_NAME}, ${BATCH_SETTLEMENT_DOMAIN_VERSION}, ${chain.id}, ${batchSettlement}`;
    const actual = `${name}, ${version}, ${chainId}, ${getAddress(verifyingContract)}`;
    if (actual !== expected) throw new Error(`eip712Domain() is ${actual}, not ${expected}`);
  });
  return {
    batchSettlement,
    erc3009DepositCollector: getAddress(ERC3009_DEPOSIT_COLLECTOR_ADDRESS),
    permit2DepositCollector: getAddress(PERMIT2_DEPOSIT_COLLECTOR_ADDRESS),
  };
}
