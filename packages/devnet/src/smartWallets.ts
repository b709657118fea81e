import { erc1271WalletFactoryMockAbi, erc1271WalletFactoryMockBytecode } from "@x402kit/bindings";
import {
  type Address,
  type Chain,
  encodeFunctionData,
  type Hex,
  hashTypedData,
  type LocalAccount,
  serializeErc6492Signature,
  zeroHash,
} from "viem";
import { privateKeyToAccount, toAccount } from "viem/accounts";
import type { DevnetAccount } from "./accounts.js";
import { DeploymentError } from "./errors.js";
import { createDevnetClient } from "./internal/createDevnetClient.js";

/** A payer's smart wallet: counterfactual (not deployed) until its first payment deploys it. */
export type DevnetSmartWallet = {
  /** The EOA whose signatures the wallet accepts (ERC-1271). */
  readonly owner: Address;
  /** The wallet's address, known before it exists (CREATE2). */
  readonly address: Address;
};

/** The devnet's smart-wallet payers (`smartWalletPayers: true`). */
export type DevnetSmartWallets = {
  /** The CREATE2 wallet factory (x402kit's `ERC1271WalletFactoryMock` test fixture), on the facilitator's allowlist. */
  readonly factory: Address;
  /** One wallet per payer, in the order of `accounts.payers`. */
  readonly wallets: readonly DevnetSmartWallet[];
};

/**
 * Deploys the wallet factory and computes each payer's counterfactual wallet (salt 0). Nothing else is deployed:
 * the first payment of each wallet deploys it, through the facilitator (ERC-6492).
 *
 * @param parameters - The node, the deployer and the payers who own the wallets.
 * @returns The factory and the wallets.
 * @throws {DeploymentError} When the factory cannot be deployed.
 */
export async function deploySmartWallets(parameters: {
  rpcUrl: string;
  chain: Chain;
  deployer: DevnetAccount;
  owners: readonly DevnetAccount[];
}): Promise<DevnetSmartWallets> {
  const client = createDevnetClient({ ...parameters, account: parameters.deployer });
  let factory: Address;
  try {
    const hash = await client.deployContract({
      abi: erc1271WalletFactoryMockAbi,
      bytecode: erc1271WalletFactoryMockBytecode,
    });
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success" || !receipt.contractAddress) throw new Error(`transaction ${hash} reverted`);
    factory = receipt.contractAddress;
  } catch (cause) {
    throw new DeploymentError({ step: "deploy the smart-wallet factory (ERC1271WalletFactoryMock)", cause });
  }
  const wallets = await Promise.all(
    parameters.owners.map(async (owner) => ({
      owner: owner.address,
      address: await client.readContract({
        address: factory,
        abi: erc1271WalletFactoryMockAbi,
        functionName: "walletAddress",
        args: [owner.address, zeroHash],
      }),
    })),
  );
  return { factory, wallets };
}

/**
 * A viem account for a payer's smart wallet: its address is the wallet's, and it signs typed data the way ERC-6492
 * asks of a wallet that may not exist yet: the owner's ECDSA signature of the EIP-712 digest (what the wallet's
 * ERC-1271 checks), wrapped with the factory call that deploys the wallet.
 *
 * @param parameters - The factory, the wallet and its owner's key (TEST ONLY).
 * @returns An account for `@x402kit/signer`'s paying fetch (and any viem typed-data signing).
 */
export function smartWalletAccount(parameters: {
  factory: Address;
  wallet: DevnetSmartWallet;
  ownerPrivateKey: Hex;
}): LocalAccount {
  const owner = privateKeyToAccount(parameters.ownerPrivateKey);
  const deploy = encodeFunctionData({
    abi: erc1271WalletFactoryMockAbi,
    functionName: "createWallet",
    args: [owner.address, zeroHash],
  });
  const unsupported = (what: string) => () =>
    Promise.reject(new Error(`a smart-wallet payer signs typed data only, not ${what}`));
  return toAccount({
    address: parameters.wallet.address,
    signMessage: unsupported("messages"),
    signTransaction: unsupported("transactions"),
    signTypedData: async (typedData) =>
      serializeErc6492Signature({
        address: parameters.factory,
        data: deploy,
        signature: await owner.sign({ hash: hashTypedData(typedData as Parameters<typeof hashTypedData>[0]) }),
      }),
  });
}
