import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import type { NetworkConnection } from "hardhat/types/network";
import { createPublicClient, createWalletClient, custom, hashDomain, maxUint256 } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createNetwork } from "../test/helpers/network.js";
import { testUsdcAbi } from "./generated/abis.js";
import { testUsdcBytecode } from "./generated/bytecode.js";
import {
  ensurePermit2,
  PERMIT2_ADDRESS,
  Permit2NotInstalledError,
  permit2Abi,
  permit2DomainSeparator,
} from "./permit2.js";

const connections: NetworkConnection[] = [];
after(async () => {
  await Promise.all(connections.map((connection) => connection.close()));
});

async function chain(network?: "baseSepoliaTwin"): Promise<NetworkConnection> {
  const connection = await createNetwork(network);
  connections.push(connection);
  return connection;
}

// Hardhat's accounts #0 (deployer) and #5 (owner of the tokens), #6 (receiver), #7 (spender).
const deployer = privateKeyToAccount("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
const owner = privateKeyToAccount("0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba");
const receiver = privateKeyToAccount("0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e").address;
const spender = privateKeyToAccount("0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356");

describe("ensurePermit2", () => {
  for (const network of [undefined, "baseSepoliaTwin"] as const) {
    test(`default: Permit2 at its canonical address answers its EIP-712 domain for this chain (${network ?? "31337"})`, async () => {
      const { provider } = await chain(network);
      assert.deepEqual(await ensurePermit2({ provider }), { installed: true });
      assert.deepEqual(await ensurePermit2({ provider }), { installed: false });
      const client = createPublicClient({ transport: custom(provider) });
      const chainId = await client.getChainId();
      const separator = await client.readContract({
        address: PERMIT2_ADDRESS,
        abi: permit2Abi,
        functionName: "DOMAIN_SEPARATOR",
      });
      assert.equal(
        separator,
        hashDomain({
          domain: { name: "Permit2", chainId: BigInt(chainId), verifyingContract: PERMIT2_ADDRESS },
          types: {
            EIP712Domain: [
              { name: "name", type: "string" },
              { name: "chainId", type: "uint256" },
              { name: "verifyingContract", type: "address" },
            ],
          },
        }),
      );
      assert.equal(separator, permit2DomainSeparator(chainId));
    });
  }

  test("behavior: a PermitTransferFrom signed with viem moves an ERC-20 through it, once", async () => {
    const { provider } = await chain();
    await ensurePermit2({ provider });
    const client = createPublicClient({ transport: custom(provider) });
    const wallet = (account: typeof deployer) => createWalletClient({ account, transport: custom(provider) });
    const chainId = await client.getChainId();
    // Any ERC-20 will do; TestUSDC is at hand. The owner approves Permit2 once.
    const hash = await wallet(deployer).deployContract({
      abi: testUsdcAbi,
      bytecode: testUsdcBytecode,
      args: ["USDC", "USDC", "2", deployer.address],
      chain: null,
    });
    const token = (await client.waitForTransactionReceipt({ hash })).contractAddress as `0x${string}`;
    const send = async (
      account: typeof deployer,
      functionName: string,
      args: readonly unknown[],
      address = token,
      abi = testUsdcAbi as readonly unknown[],
    ) => {
      const tx = await wallet(account).writeContract({
        address,
        abi: abi as never,
        functionName: functionName as never,
        args: args as never,
        chain: null,
      });
      const receipt = await client.waitForTransactionReceipt({ hash: tx });
      return receipt.status;
    };
    assert.equal(await send(deployer, "configureMinter", [deployer.address, 10_000n]), "success");
    assert.equal(await send(deployer, "mint", [owner.address, 10_000n]), "success");
    assert.equal(await send(owner, "approve", [PERMIT2_ADDRESS, maxUint256]), "success");
    const permit = { permitted: { token, amount: 1_000n }, spender: spender.address, nonce: 7n, deadline: 2n ** 40n };
    const domain = { name: "Permit2", chainId: BigInt(chainId), verifyingContract: PERMIT2_ADDRESS } as const;
    const signature = await owner.signTypedData({
      domain,
      types: {
        PermitTransferFrom: [
          { name: "permitted", type: "TokenPermissions" },
          { name: "spender", type: "address" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
        TokenPermissions: [
          { name: "token", type: "address" },
          { name: "amount", type: "uint256" },
        ],
      },
      primaryType: "PermitTransferFrom",
      message: permit,
    });
    const transfer = [permit, { to: receiver, requestedAmount: 600n }, owner.address, signature] as const;
    assert.equal(await send(spender, "permitTransferFrom", transfer, PERMIT2_ADDRESS, permit2Abi), "success");
    const balance = (address: `0x${string}`) =>
      client.readContract({ address: token, abi: testUsdcAbi, functionName: "balanceOf", args: [address] });
    assert.equal(await balance(receiver), 600n);
    assert.equal(await balance(owner.address), 9_400n);
    // The nonce is spent: the same signature again reverts (InvalidNonce), and nothing more moves.
    await assert.rejects(send(spender, "permitTransferFrom", transfer, PERMIT2_ADDRESS, permit2Abi));
    assert.equal(await balance(receiver), 600n);
  });

  test("error: a node that cannot set code gets a Permit2NotInstalledError", async () => {
    const { provider } = await chain();
    const refusing = {
      request: async (args: { method: string; params?: readonly unknown[] }) => {
        if (args.method.endsWith("_setCode")) throw new Error(`Method ${args.method} not found`);
        return provider.request(args as never);
      },
    };
    await assert.rejects(ensurePermit2({ provider: refusing }), Permit2NotInstalledError);
  });
});
