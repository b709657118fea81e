import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createPublicClient, createWalletClient, defineChain, http, keccak256, type LocalAccount, toHex } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { DEFAULT_HARDHAT_MNEMONIC, type HardhatNode, startHardhatNode } from "../startHardhatNode.js";
import { deployFiatToken, FIAT_TOKEN_PROXY_ADMIN, FiatTokenDeploymentError, fiatTokenAbi } from "./index.js";

/** The ERC-1967 admin slot, where FiatTokenProxy keeps its admin. */
const ADMIN_SLOT = "0x10d6a54a4754c8869d6886b5f5d7fbfa5b4522237ea5c60d11bc4e7a1ff9390b";

describe("deployFiatToken", () => {
  let node: HardhatNode;
  before(async () => {
    node = await startHardhatNode();
  });
  after(() => node?.stop());

  const clients = (account: LocalAccount = mnemonicToAccount(DEFAULT_HARDHAT_MNEMONIC, { addressIndex: 1 })) => {
    const chain = defineChain({
      id: node.chainId,
      name: "local",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [node.rpcUrl] } },
    });
    return {
      walletClient: createWalletClient({ account, chain, transport: http(node.rpcUrl) }),
      publicClient: createPublicClient({ chain, transport: http(node.rpcUrl) }),
    };
  };

  test("Circle's bytecode behind its proxy, initialised as Base Sepolia USDC, holders minted, admin handed off", async () => {
    const { walletClient, publicClient } = clients();
    const holder = privateKeyToAccount(keccak256(toHex("fiat token holder"))).address;
    const token = await deployFiatToken({ walletClient, publicClient, holders: [holder], amount: 42n });
    const read = (functionName: string, args: readonly unknown[] = []) =>
      publicClient.readContract({ address: token.address, abi: fiatTokenAbi, functionName, args });
    assert.deepEqual(
      await Promise.all([read("name"), read("symbol"), read("currency"), read("decimals"), read("version")]),
      ["USDC", "USDC", "USD", 6, "2"],
    );
    assert.equal(await read("balanceOf", [holder]), 42n);
    assert.equal(await read("owner"), walletClient.account.address);
    const admin = await publicClient.getStorageAt({ address: token.address, slot: ADMIN_SLOT });
    assert.equal(`0x${admin?.slice(26)}`, FIAT_TOKEN_PROXY_ADMIN.toLowerCase());
    // Proxy and logic are separate contracts; the proxy points at the logic.
    assert.notEqual(token.implementation, token.address);
    assert.ok((await publicClient.getCode({ address: token.implementation }))?.length);
  });

  test("a step that fails is a FiatTokenDeploymentError naming it", async () => {
    const broke = privateKeyToAccount(keccak256(toHex("no ether")));
    const { walletClient, publicClient } = clients(broke);
    await assert.rejects(deployFiatToken({ walletClient, publicClient }), (error: unknown) => {
      assert.ok(error instanceof FiatTokenDeploymentError);
      assert.equal(error.step, "deploy SignatureChecker");
      return true;
    });
  });
});
