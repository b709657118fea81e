import {
  deployFiatToken as deployFiatTokenOnChain,
  FIAT_TOKEN_PROXY_ADMIN,
  fiatTokenAbi,
} from "@x402kit/hardhat-node/fiat-token";
import type { Account, Address, Chain, Transport, WalletClient } from "viem";
import { HARDHAT_KEYS, type LocalChain, type Token } from "./chain.js";

export { FIAT_TOKEN_PROXY_ADMIN, fiatTokenAbi };

/** Account 0's wallet client, with the account and chain a deployment needs. */
const owner = (chain: LocalChain) => chain.wallet(HARDHAT_KEYS[0]) as WalletClient<Transport, Chain, Account>;

/**
 * Circle's FiatToken v2.2 bytecode behind its proxy, initialised as Base Sepolia USDC, account 0 holding every token
 * role (`@x402kit/hardhat-node/fiat-token`); mints `amount` to each holder.
 */
export async function deployFiatToken(
  chain: LocalChain,
  holders: readonly Address[],
  amount = 1_000_000_000n,
): Promise<Token> {
  const token = await deployFiatTokenOnChain({
    walletClient: owner(chain),
    publicClient: chain.publicClient,
    holders,
    amount,
  });
  return { address: token.address, name: token.name, version: token.version, abi: fiatTokenAbi, chain };
}

/** Calls an owner-only FiatToken function (`pause`, `unpause`, `blacklist`, `unBlacklist`) as account 0. */
export async function fiatTokenAdmin(token: Token, functionName: string, args: readonly unknown[] = []): Promise<void> {
  const wallet = owner(token.chain);
  const hash = await wallet.writeContract({
    address: token.address,
    abi: fiatTokenAbi,
    functionName,
    args,
    account: wallet.account,
    chain: wallet.chain,
  });
  const receipt = await token.chain.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`FiatToken ${functionName} reverted`);
}
