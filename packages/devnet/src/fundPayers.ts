import { PERMIT2_ADDRESS, testErc20Abi, testUsdcAbi } from "@x402kit/bindings";
import { type Address, type Chain, maxUint256 } from "viem";
import type { DevnetAccount } from "./accounts.js";
import { type DevnetContracts, tokenLabel } from "./deployContracts.js";
import { DeploymentError } from "./errors.js";
import { createDevnetClient } from "./internal/createDevnetClient.js";

export type FundPayersParameters = {
  rpcUrl: string;
  chain: Chain;
  contracts: DevnetContracts;
  /** The token admin (master minter). */
  deployer: DevnetAccount;
  /** Who receives test tokens. */
  recipients: readonly Address[];
  /** Atomic units each. */
  amount: bigint;
  /**
   * Accounts that approve Uniswap's Permit2 for an unlimited amount of the token (the one-time approval an x402
   * client needs before paying through Permit2). Default none.
   */
  permit2Approvers?: readonly DevnetAccount[] | undefined;
};

/**
 * Mints `amount` of the devnet token to every recipient: for TestUSDC or FiatToken v2.2 (same minter interface) the
 * deployer, as master minter, makes itself a minter for exactly the total, then mints; TestERC20 mints from its
 * public faucet. Then each of `permit2Approvers` approves Permit2 for the token. (ETH comes from the node's genesis
 * allocation.)
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
  const label = tokenLabel(parameters.contracts.token.kind);
  const send = async (step: string, run: () => Promise<`0x${string}`>, by = client) => {
    try {
      const receipt = await by.waitForTransactionReceipt({ hash: await run() });
      if (receipt.status !== "success") throw new Error(`transaction ${receipt.transactionHash} reverted`);
    } catch (cause) {
      throw new DeploymentError({ step, cause });
    }
  };
  if (parameters.contracts.token.kind === "erc20") {
    for (const recipient of recipients) {
      await send(`${label}.faucet to ${recipient}`, () =>
        client.writeContract({ address: token, abi: testErc20Abi, functionName: "faucet", args: [recipient, amount] }),
      );
    }
  } else {
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
  for (const approver of parameters.permit2Approvers ?? []) {
    const approverClient = createDevnetClient({
      rpcUrl: parameters.rpcUrl,
      chain: parameters.chain,
      account: approver,
    });
    await send(
      `${label}.approve(Permit2) by ${approver.address}`,
      () =>
        approverClient.writeContract({
          address: token,
          abi: testErc20Abi,
          functionName: "approve",
          args: [PERMIT2_ADDRESS, maxUint256],
        }),
      approverClient,
    );
  }
}
