import { testUsdcAbi } from "@x402kit/bindings";
import type { Address, Chain } from "viem";
import type { DevnetAccount } from "./accounts.js";
import type { DevnetContracts } from "./deployContracts.js";
import { DeploymentError } from "./errors.js";
import { createDevnetClient } from "./internal/createDevnetClient.js";

export type FundPayersParameters = {
  rpcUrl: string;
  chain: Chain;
  contracts: DevnetContracts;
  /** The token admin (master minter). */
  deployer: DevnetAccount;
  /** Who receives test USDC. */
  recipients: readonly Address[];
  /** Atomic units each. */
  amount: bigint;
};

/**
 * Mints `amount` of the devnet token (TestUSDC or FiatToken v2.2, same minter interface) to every recipient: the
 * deployer, as master minter, makes itself a minter for exactly the total, then mints. (ETH comes from the node's genesis allocation.)
 *
 * @param parameters - {@link FundPayersParameters}
 * @throws {DeploymentError} When a transaction fails.
 */
export async function fundPayers(parameters: FundPayersParameters): Promise<void> {
  const { recipients, amount } = parameters;
  if (recipients.length === 0) return;
  const client = createDevnetClient({
    rpcUrl: parameters.rpcUrl,
    chain: parameters.chain,
    account: parameters.deployer,
  });
  const token = parameters.contracts.token.address;
  const label = parameters.contracts.token.kind === "usdc" ? "FiatToken" : "TestUSDC";
  const send = async (step: string, run: () => Promise<`0x${string}`>) => {
    try {
      const receipt = await client.waitForTransactionReceipt({ hash: await run() });
      if (receipt.status !== "success") throw new Error(`transaction ${receipt.transactionHash} reverted`);
    } catch (cause) {
      throw new DeploymentError({ step, cause });
    }
  };
  await send(`${label}.configureMinter`, () =>
    client.writeContract({
      address: token,
      abi: testUsdcAbi,
      functionName: "configureMinter",
      args: [parameters.deployer.address, amount * BigInt(recipients.length)],
    }),
  );
  for (const recipient of recipients) {
    await send(`${label}.mint to ${recipient}`, () =>
      client.writeContract({ address: token, abi: testUsdcAbi, functionName: "mint", args: [recipient, amount] }),
    );
  }
}
