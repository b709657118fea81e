/**
 * ERC-6492 counterfactual wallets: a payer whose smart wallet is not deployed yet signs with an ERC-6492 wrapper
 * (factory, factory calldata, the wallet's own signature). Ours verifies it with the universal validator in an
 * `eth_call`, refuses factories off its allowlist (closed by default) for the official facilitator's reason, and on
 * settle deploys the wallet and pays in one transaction through Multicall3, once, in both modes and on both tokens,
 * with the official facilitator beside it on the same chain.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  ensureMulticall3,
  erc1271WalletFactoryMockAbi,
  erc1271WalletFactoryMockBytecode,
  MULTICALL3_ADDRESS,
} from "@x402kit/bindings";
import { type HardhatNode, startHardhatNode } from "@x402kit/hardhat-node";
import {
  type Address,
  encodeFunctionData,
  getAddress,
  type Hex,
  hashTypedData,
  serializeErc6492Signature,
  toHex,
} from "viem";
import { type PrivateKeyAccount, privateKeyToAccount, toAccount } from "viem/accounts";
import {
  balanceOf,
  deployRouter,
  deployTestUsdc,
  HARDHAT_KEYS,
  type LocalChain,
  localChain,
  signPayment,
  type Token,
  v2Body,
} from "./helpers/chain.js";
import { type RunningFacilitator, startFacilitator } from "./helpers/facilitatorHarness.js";
import { deployFiatToken } from "./helpers/fiatToken.js";
import { type OfficialFacilitator, officialFacilitator } from "./helpers/officialFacilitator.js";
import { finalSettle } from "./helpers/until.js";

const modes = ["direct", "batched"] as const;
const owner = privateKeyToAccount(HARDHAT_KEYS[7]);
const stranger = privateKeyToAccount(HARDHAT_KEYS[8]);
const payTo = privateKeyToAccount(HARDHAT_KEYS[6]).address;
const salt = (n: number): Hex => toHex(n, { size: 32 });

describe("ERC-6492 counterfactual wallets (Multicall3 and a CREATE2 wallet factory on the Hardhat network)", () => {
  let node: HardhatNode;
  let chain: LocalChain;
  let factory: Address;
  let tokens: { testUsdc: Token; fiatToken: Token };
  let ours: Record<(typeof modes)[number], RunningFacilitator>;
  let closed: RunningFacilitator;
  let simulating: RunningFacilitator;
  let official: OfficialFacilitator;
  let officialClosed: OfficialFacilitator;
  /** Counterfactual wallets by salt, funded on both tokens before they exist. */
  const wallets = new Map<number, Address>();
  let value = 7_000n;

  const walletOf = (n: number) => wallets.get(n) as Address;
  const isDeployed = async (address: Address) => ((await chain.publicClient.getCode({ address })) ?? "0x") !== "0x";

  /**
   * A payment from wallet `n`, signed by `signer` (the owner, or a stranger) and wrapped in ERC-6492 with the
   * factory call that deploys the wallet.
   */
  const sign = async (token: Token, n: number, signer = owner, amount?: bigint) => {
    const wallet = walletOf(n);
    const deployCalldata = encodeFunctionData({
      abi: erc1271WalletFactoryMockAbi,
      functionName: "createWallet",
      args: [owner.address, salt(n)],
    });
    // The wallet's own signature is its owner's ECDSA signature of the EIP-712 digest (ERC1271WalletMock).
    const counterfactual = toAccount({
      address: wallet,
      signMessage: () => Promise.reject(new Error("not used")),
      signTransaction: () => Promise.reject(new Error("not used")),
      signTypedData: async (typedData) =>
        serializeErc6492Signature({
          address: factory,
          data: deployCalldata,
          signature: await signer.sign({ hash: hashTypedData(typedData as Parameters<typeof hashTypedData>[0]) }),
        }),
    });
    value += 1n;
    const paid = amount ?? value;
    const payload = await signPayment({
      token,
      payer: counterfactual as unknown as PrivateKeyAccount,
      payTo,
      value: paid,
    });
    return v2Body(token, payload, payTo, paid);
  };

  before(async () => {
    node = await startHardhatNode();
    chain = localChain(node.rpcUrl, node.chainId);
    await ensureMulticall3({ provider: chain.publicClient });
    const deployer = chain.wallet(HARDHAT_KEYS[0]);
    const hash = await deployer.deployContract({
      abi: erc1271WalletFactoryMockAbi,
      bytecode: erc1271WalletFactoryMockBytecode,
      account: deployer.account!,
      chain: deployer.chain,
    });
    factory = getAddress((await chain.publicClient.waitForTransactionReceipt({ hash })).contractAddress as Address);
    for (let n = 1; n <= 8; n++) {
      wallets.set(
        n,
        await chain.publicClient.readContract({
          address: factory,
          abi: erc1271WalletFactoryMockAbi,
          functionName: "walletAddress",
          args: [owner.address, salt(n)],
        }),
      );
    }
    const holders = [...wallets.values()];
    tokens = { testUsdc: await deployTestUsdc(chain, holders), fiatToken: await deployFiatToken(chain, holders) };
    const router = await deployRouter(chain);
    const network = { network: "eip155:31337", rpcUrl: node.rpcUrl, router, walletFactories: [factory] };
    ours = {
      direct: await startFacilitator({ privateKeys: [HARDHAT_KEYS[1]], networks: [network], mode: "direct" }),
      batched: await startFacilitator({ privateKeys: [HARDHAT_KEYS[2]], networks: [network], mode: "batched" }),
    };
    simulating = await startFacilitator({
      privateKeys: [HARDHAT_KEYS[5]],
      networks: [network],
      verify: { chainCheck: "simulate" },
    });
    closed = await startFacilitator({
      privateKeys: [HARDHAT_KEYS[4]],
      networks: [{ network: "eip155:31337", rpcUrl: node.rpcUrl }],
    });
    official = officialFacilitator(node.rpcUrl, node.chainId, HARDHAT_KEYS[3], { eip6492AllowedFactories: [factory] });
    officialClosed = officialFacilitator(node.rpcUrl, node.chainId, HARDHAT_KEYS[3]);
  });
  after(async () => {
    await ours?.direct.close();
    await ours?.batched.close();
    await closed?.close();
    await simulating?.close();
    await node?.stop();
  });

  test("default: Multicall3 answers at its canonical address and the wallets do not exist yet", async () => {
    assert.equal(await isDeployed(MULTICALL3_ADDRESS), true);
    for (const wallet of wallets.values()) assert.equal(await isDeployed(wallet), false);
  });

  test("error: without an allowlisted factory an undeployed wallet is refused as the official facilitator refuses it", async () => {
    const body = await sign(tokens.testUsdc, 8);
    const theirs = await officialClosed.verify(body);
    assert.equal(theirs.isValid, false, JSON.stringify(theirs));
    const verify = await closed.post("/verify", body);
    assert.equal(verify.body.isValid, false);
    assert.equal(verify.body.invalidReason, theirs.invalidReason, JSON.stringify(verify.body));
    assert.equal(verify.body.invalidReason, "eip6492_factory_not_allowed");
    assert.match(String(verify.body.invalidMessage), new RegExp(`factory ${factory}`));
    const settle = await closed.post("/settle", body);
    assert.equal(settle.body.errorReason, "eip6492_factory_not_allowed");
    assert.equal(settle.body.transaction, "");
    assert.equal(await isDeployed(walletOf(8)), false);
  });

  let n = 0;
  for (const name of ["testUsdc", "fiatToken"] as const) {
    for (const mode of modes) {
      n++;
      const wallet = n;
      test(`behavior: a counterfactual wallet is deployed and pays once, in one transaction, on ${name} (${mode})`, async () => {
        const token = tokens[name];
        const body = await sign(token, wallet);
        const amount = BigInt(body.paymentRequirements.amount);
        const before = await balanceOf(token, payTo);
        assert.equal((await official.verify(body)).isValid, true);
        const verify = await ours[mode].post("/verify", body);
        assert.equal(verify.body.isValid, true, JSON.stringify(verify.body));
        assert.equal(await isDeployed(walletOf(wallet)), false, "verify deploys nothing");
        const settle = await finalSettle(ours[mode], body);
        assert.equal(settle.body.success, true, JSON.stringify(settle.body));
        assert.equal(await isDeployed(walletOf(wallet)), true);
        assert.equal(await balanceOf(token, payTo), before + amount);
        const tx = await chain.publicClient.getTransaction({ hash: settle.body.transaction });
        assert.equal(tx.to?.toLowerCase(), MULTICALL3_ADDRESS.toLowerCase(), "deploy and pay in one transaction");
        const again = await ours[mode].post("/settle", body);
        assert.equal(again.body.transaction, settle.body.transaction);
        assert.equal(await balanceOf(token, payTo), before + amount, "settled once");
      });
    }
  }

  test("behavior: once deployed, the same wallet pays again with a wrapped signature (the wallet judges the inner one)", async () => {
    const body = await sign(tokens.testUsdc, 1);
    const before = await balanceOf(tokens.testUsdc, payTo);
    assert.equal((await official.verify(body)).isValid, true);
    const settle = await finalSettle(ours.batched, body);
    assert.equal(settle.body.success, true, JSON.stringify(settle.body));
    assert.equal(await balanceOf(tokens.testUsdc, payTo), before + BigInt(body.paymentRequirements.amount));
  });

  test("error: a counterfactual wallet whose signature its owner did not make is refused for the official reason; nothing is deployed", async () => {
    const body = await sign(tokens.fiatToken, 7, stranger);
    const theirs = await official.verify(body);
    assert.equal(theirs.isValid, false, JSON.stringify(theirs));
    for (const mode of modes) {
      const verify = await ours[mode].post("/verify", body);
      assert.equal(verify.body.isValid, false, JSON.stringify(verify.body));
      assert.equal(verify.body.invalidReason, theirs.invalidReason, `${mode}: ${JSON.stringify(verify.body)}`);
      const settle = await ours[mode].post("/settle", body);
      assert.equal(settle.body.success, false);
      assert.equal(settle.body.transaction, "");
    }
    assert.equal(await isDeployed(walletOf(7)), false);
  });

  test("behavior: with chainCheck simulate, verify runs the deploy-and-pay call in an eth_call; nothing is deployed", async () => {
    const good = await sign(tokens.fiatToken, 5);
    const verify = await simulating.post("/verify", good);
    assert.equal(verify.body.isValid, true, JSON.stringify(verify.body));
    // Over the wallet's balance: the simulation of deploy-then-transfer reverts, and the state diagnosis says why.
    const poor = await sign(tokens.fiatToken, 5, owner, 10n ** 18n);
    const refused = await simulating.post("/verify", poor);
    assert.equal(refused.body.isValid, false);
    assert.equal(refused.body.invalidReason, "insufficient_funds", JSON.stringify(refused.body));
    assert.equal(await isDeployed(walletOf(5)), false);
  });

  test("default: the wallet factory allowlist comes from X402KIT_WALLET_FACTORIES / --wallet-factory", async () => {
    const { loadConfig } = await import("../src/config/loadConfig.js");
    const config = loadConfig({
      argv: [`--wallet-factory=${factory}`],
      env: { EVM_PRIVATE_KEY: HARDHAT_KEYS[1], EVM_NETWORK: "eip155:31337" },
    });
    assert.deepEqual(config.networks[0]?.walletFactories, [factory]);
    const fromEnv = loadConfig({
      argv: [],
      env: { EVM_PRIVATE_KEY: HARDHAT_KEYS[1], EVM_NETWORK: "eip155:31337", X402KIT_WALLET_FACTORIES: factory },
    });
    assert.deepEqual(fromEnv.networks[0]?.walletFactories, [factory]);
  });
});
