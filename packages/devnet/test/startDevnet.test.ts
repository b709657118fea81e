/**
 * One devnet with the demo API: what it deployed and set up, one paid request through the official
 * `@x402/hono` middleware and our facilitator, the demo agent's run and reputation feedback, the env
 * file, and a stop that leaves no process or port behind.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import {
  BATCH_SETTLEMENT_ADDRESS,
  ERC3009_DEPOSIT_COLLECTOR_ADDRESS,
  x402ExactPermit2ProxyAddress,
  x402UptoPermit2ProxyAddress,
} from "@x402/evm";
import {
  deployments,
  identityRegistryAbi,
  PERMIT2_ADDRESS,
  PERMIT2_DEPOSIT_COLLECTOR_ADDRESS,
  permit2Abi,
  permit2DomainSeparator,
  reputationRegistryAbi,
  testUsdcAbi,
  validationRegistryAbi,
  x402BatchSettlementAbi,
  x402ExactPermit2ProxyAbi,
  x402UptoPermit2ProxyAbi,
} from "@x402kit/bindings";
import { getErc8004CanonicalAddresses } from "@x402kit/bindings/erc8004";
import { parseAgentRegistrationFile } from "@x402kit/signer/erc8004";
import { getPaymentResult, wrapFetchWithPayment } from "@x402kit/signer/fetch";
import { createPublicClient, http, parseEventLogs } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type Devnet, PAYER_USDC, runDemoAgent, startDevnet } from "../src/index.js";
import { assertNothingLeft } from "./helpers/assertStopped.js";

let devnet: Devnet;
let client: ReturnType<typeof createPublicClient>;

before(async () => {
  devnet = await startDevnet({ demo: true, accounts: 2 });
  client = createPublicClient({ chain: devnet.chain, transport: http(devnet.rpcUrl) });
});
after(async () => {
  await devnet?.stop();
});

const usdcOf = (address: `0x${string}`) =>
  client.readContract({
    address: devnet.contracts.token.address,
    abi: testUsdcAbi,
    functionName: "balanceOf",
    args: [address],
  });

describe("startDevnet", () => {
  test("default: 127.0.0.1 on free ports, chain 31337, every contract deployed", async () => {
    assert.match(devnet.rpcUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(devnet.rpcUrl, "http://127.0.0.1:8545");
    assert.match(devnet.facilitatorUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(await client.getChainId(), 31337);
    assert.equal(devnet.network, "eip155:31337");
    const { token, router, identityRegistry, reputationRegistry, validationRegistry } = devnet.contracts;
    for (const address of [token.address, router, identityRegistry, reputationRegistry, validationRegistry]) {
      assert.ok(((await client.getCode({ address })) ?? "0x").length > 2, `no code at ${address}`);
    }
    // Ignition's CREATE2 deployment by Hardhat's account #0: the bindings' published 31337 addresses, except the
    // ERC-8004 registries, which answer at the official registries' addresses (the default).
    assert.equal(devnet.contracts.erc8004Addresses, "canonical");
    assert.deepEqual(devnet.contracts.addresses, {
      ...deployments[31337],
      ...getErc8004CanonicalAddresses({ chainId: 31337 }),
    });
    const read = (functionName: "name" | "version") =>
      client.readContract({ address: token.address, abi: testUsdcAbi, functionName });
    assert.equal(await read("name"), token.name);
    assert.equal(await read("version"), token.version);
    // Multicall3 at its canonical address, which viem's multicall on the devnet chain uses.
    assert.equal(devnet.contracts.multicall3, "0xcA11bde05977b3631167028862bE2a173976CA11");
    const [name, version] = await createPublicClient({ chain: devnet.chain, transport: http(devnet.rpcUrl) }).multicall(
      {
        allowFailure: false,
        contracts: [
          { address: token.address, abi: testUsdcAbi, functionName: "name" },
          { address: token.address, abi: testUsdcAbi, functionName: "version" },
        ],
      },
    );
    assert.deepEqual([name, version], [token.name, token.version]);
    // Permit2 at its canonical address, signing for this chain and that address.
    assert.equal(devnet.contracts.permit2, PERMIT2_ADDRESS);
    assert.equal(
      await client.readContract({ address: PERMIT2_ADDRESS, abi: permit2Abi, functionName: "DOMAIN_SEPARATOR" }),
      permit2DomainSeparator(devnet.chainId),
    );
  });

  test("behavior: our batch-settlement contracts answer at the official @x402/evm addresses", async () => {
    assert.equal(devnet.contracts.batchSettlement, BATCH_SETTLEMENT_ADDRESS);
    assert.equal(devnet.contracts.erc3009DepositCollector, ERC3009_DEPOSIT_COLLECTOR_ADDRESS);
    assert.equal(devnet.env.BATCH_SETTLEMENT_ADDRESS, BATCH_SETTLEMENT_ADDRESS);
    assert.equal(devnet.env.ERC3009_DEPOSIT_COLLECTOR_ADDRESS, ERC3009_DEPOSIT_COLLECTOR_ADDRESS);
    assert.equal(devnet.contracts.permit2DepositCollector, PERMIT2_DEPOSIT_COLLECTOR_ADDRESS);
    assert.equal(devnet.env.PERMIT2_DEPOSIT_COLLECTOR_ADDRESS, PERMIT2_DEPOSIT_COLLECTOR_ADDRESS);
    const [, name, version, chainId, verifyingContract] = await client.readContract({
      address: BATCH_SETTLEMENT_ADDRESS,
      abi: x402BatchSettlementAbi,
      functionName: "eip712Domain",
    });
    assert.deepEqual(
      [name, version, chainId, verifyingContract],
      ["x402 Batch Settlement", "1", BigInt(devnet.chainId), BATCH_SETTLEMENT_ADDRESS],
    );
    const collectorCode = (await client.getCode({ address: ERC3009_DEPOSIT_COLLECTOR_ADDRESS })) ?? "0x";
    assert.ok(collectorCode.length > 2, "no code at the ERC-3009 deposit collector's address");
    const permit2CollectorCode = (await client.getCode({ address: PERMIT2_DEPOSIT_COLLECTOR_ADDRESS })) ?? "0x";
    assert.ok(permit2CollectorCode.length > 2, "no code at the Permit2 deposit collector's address");
  });

  test("behavior: our exact and upto Permit2 proxies answer at the official @x402/evm addresses", async () => {
    assert.equal(devnet.contracts.exactPermit2Proxy, x402ExactPermit2ProxyAddress);
    assert.equal(devnet.contracts.uptoPermit2Proxy, x402UptoPermit2ProxyAddress);
    assert.equal(devnet.env.X402_EXACT_PERMIT2_PROXY_ADDRESS, x402ExactPermit2ProxyAddress);
    assert.equal(devnet.env.X402_UPTO_PERMIT2_PROXY_ADDRESS, x402UptoPermit2ProxyAddress);
    for (const [address, abi] of [
      [x402ExactPermit2ProxyAddress, x402ExactPermit2ProxyAbi],
      [x402UptoPermit2ProxyAddress, x402UptoPermit2ProxyAbi],
    ] as const) {
      assert.equal(await client.readContract({ address, abi, functionName: "PERMIT2" }), PERMIT2_ADDRESS);
    }
  });

  test("behavior: the ERC-8004 registries answer at the canonical addresses, as the bindings' export lists them", async () => {
    const canonical = getErc8004CanonicalAddresses({ chainId: devnet.chainId });
    assert.equal(devnet.contracts.identityRegistry, canonical.identityRegistry);
    assert.equal(devnet.contracts.reputationRegistry, canonical.reputationRegistry);
    assert.equal(devnet.contracts.validationRegistry, canonical.validationRegistry);
    assert.equal(devnet.env.IDENTITY_REGISTRY_ADDRESS, canonical.identityRegistry);
    assert.equal(devnet.env.REPUTATION_REGISTRY_ADDRESS, canonical.reputationRegistry);
    assert.equal(devnet.env.VALIDATION_REGISTRY_ADDRESS, canonical.validationRegistry);
    const identity = { address: canonical.identityRegistry, abi: identityRegistryAbi } as const;
    const reputation = { address: canonical.reputationRegistry, abi: reputationRegistryAbi } as const;
    const validation = { address: canonical.validationRegistry, abi: validationRegistryAbi } as const;
    for (const address of Object.values(canonical)) {
      assert.ok(((await client.getCode({ address })) ?? "0x").length > 2, `no code at ${address}`);
    }
    assert.equal(await client.readContract({ ...identity, functionName: "getVersion" }), "2.0.0+x402kit");
    assert.equal(await client.readContract({ ...reputation, functionName: "getVersion" }), "2.0.0+x402kit");
    assert.equal(await client.readContract({ ...validation, functionName: "getVersion" }), "2.0.0+x402kit");
    assert.equal(await client.readContract({ ...identity, functionName: "name" }), "AgentIdentity");
    const [, name, , chainId, verifyingContract] = await client.readContract({
      ...identity,
      functionName: "eip712Domain",
    });
    assert.equal(name, "ERC8004IdentityRegistry");
    assert.equal(chainId, 31337n);
    assert.equal(verifyingContract, canonical.identityRegistry);
    // Owned by the deployer, as the Ignition-deployed proxies; wired to the canonical identity registry.
    const owner = devnet.accounts.deployer.address;
    assert.equal(await client.readContract({ ...identity, functionName: "owner" }), owner);
    assert.equal(await client.readContract({ ...reputation, functionName: "owner" }), owner);
    assert.equal(await client.readContract({ ...validation, functionName: "owner" }), owner);
    assert.equal(
      await client.readContract({ ...reputation, functionName: "getIdentityRegistry" }),
      canonical.identityRegistry,
    );
    assert.equal(
      await client.readContract({ ...validation, functionName: "getIdentityRegistry" }),
      canonical.identityRegistry,
    );
    // Our implementation behind an ERC-1967 proxy: the implementation slot holds the deployed implementation's
    // address, the one behind the Ignition-deployed proxy too.
    const slot = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";
    for (const key of ["identityRegistry", "reputationRegistry", "validationRegistry"] as const) {
      const implementation = await client.getStorageAt({ address: canonical[key], slot });
      assert.notEqual(BigInt(implementation ?? "0x0"), 0n, `${key} has an implementation`);
      assert.equal(implementation, await client.getStorageAt({ address: deployments[31337][key], slot }), key);
    }
    // The demo agent lives in the canonical identity registry.
    assert.equal(devnet.agent.agentRegistry, `eip155:31337:${canonical.identityRegistry}`);
    assert.equal(
      await client.readContract({ ...identity, functionName: "ownerOf", args: [devnet.agent.agentId] }),
      devnet.accounts.agentOwner.address,
    );
  });

  test("behavior: payers hold ETH and test USDC", async () => {
    assert.equal(devnet.accounts.payers.length, 2);
    for (const payer of devnet.accounts.payers) {
      assert.equal((await usdcOf(payer.address)) >= PAYER_USDC - 1_000_000n, true);
      assert.ok((await client.getBalance({ address: payer.address })) > 10n ** 21n);
    }
  });

  test("behavior: the demo agent is registered with its agentWallet and a registration file", async () => {
    const { agent, contracts } = devnet;
    const read = <T>(functionName: "getAgentWallet" | "ownerOf" | "tokenURI") =>
      client.readContract({
        address: contracts.identityRegistry,
        abi: identityRegistryAbi,
        functionName,
        args: [agent.agentId],
      }) as Promise<T>;
    assert.equal(await read("getAgentWallet"), devnet.accounts.agentWallet.address);
    assert.equal(await read("ownerOf"), devnet.accounts.agentOwner.address);
    assert.equal(await read("tokenURI"), agent.agentURI);
    const file = parseAgentRegistrationFile({ value: agent.agentURI });
    assert.equal(file.x402Support, true);
    assert.deepEqual(file.registrations, [{ agentId: Number(agent.agentId), agentRegistry: agent.agentRegistry }]);
    assert.deepEqual(file.services, [{ name: "web", endpoint: devnet.demoApiUrl }]);
  });

  test("behavior: one paid request to the demo API settles through our facilitator", async () => {
    const url = `${devnet.demoApiUrl}/weather`;
    const unpaid = await fetch(url);
    assert.equal(unpaid.status, 402);
    await unpaid.arrayBuffer();

    const payer = devnet.accounts.payers[1] as (typeof devnet.accounts.payers)[number];
    const price = devnet.demoRoutes.find((route) => route.path === "/weather")?.price as bigint;
    const payerBefore = await usdcOf(payer.address);
    const payeeBefore = await usdcOf(devnet.agent.wallet);
    const pay = wrapFetchWithPayment(fetch, {
      signer: privateKeyToAccount(payer.privateKey),
      policy: {
        assets: [{ network: devnet.network, asset: devnet.contracts.token.address }],
        payees: [devnet.agent.wallet],
      },
    });
    const response = await pay(url);
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { city: string }).city, "Devnet City");
    const result = getPaymentResult({ response });
    assert.equal(result?.status, "settled");
    const receipt = await client.getTransactionReceipt({ hash: result?.settlement?.transaction as `0x${string}` });
    assert.equal(receipt.status, "success");
    const [transfer] = parseEventLogs({ abi: testUsdcAbi, eventName: "Transfer", logs: receipt.logs });
    assert.deepEqual(transfer?.args, { from: payer.address, to: devnet.agent.wallet, value: price });
    assert.equal(await usdcOf(payer.address), payerBefore - price);
    assert.equal(await usdcOf(devnet.agent.wallet), payeeBefore + price);
  });

  test("behavior: the demo agent pays K calls and leaves feedback with its proofOfPayment", async () => {
    const progress: number[] = [];
    const report = await runDemoAgent(devnet, { calls: 4, onProgress: ({ done }) => progress.push(done) });
    assert.deepEqual(progress, [1, 2, 3, 4]);
    assert.equal(report.payments.length, 4);
    assert.deepEqual(report.failures, []);
    const expected = [0, 1, 2, 3].reduce((sum, i) => sum + (devnet.demoRoutes[i % 3]?.price ?? 0n), 0n);
    assert.equal(report.totalPaid, expected);
    assert.equal(report.after.agentWallet - report.before.agentWallet, expected);
    assert.equal(
      report.transactions.reduce((sum, transaction) => sum + transaction.payments, 0),
      4,
    );
    assert.ok(report.gasUsed > 0n);
    // Batched mode (the default): the router carries the payments.
    assert.equal(devnet.mode, "batched");
    for (const transaction of report.transactions) {
      const receipt = await client.getTransactionReceipt({ hash: transaction.hash });
      assert.equal(receipt.to?.toLowerCase(), devnet.contracts.router.toLowerCase());
    }
    assert.ok(report.after.facilitatorEth < report.before.facilitatorEth, "the facilitator paid the gas");

    const feedback = report.feedback;
    assert.ok(feedback);
    const payer1 = devnet.accounts.payers[0]?.address;
    assert.equal(feedback.clientAddress, payer1);
    assert.equal(feedback.proofOfPayment.fromAddress, payer1);
    assert.equal(feedback.proofOfPayment.toAddress, devnet.agent.wallet);
    assert.equal(feedback.proofOfPayment.chainId, "31337");
    assert.ok(report.payments.some((p) => p.payer === payer1 && p.transaction === feedback.proofOfPayment.txHash));
    // The file behind feedbackURI hashes to feedbackHash and carries the proof.
    const json = Buffer.from(feedback.feedbackURI.replace("data:application/json;base64,", ""), "base64").toString();
    assert.deepEqual(JSON.parse(json).proofOfPayment, feedback.proofOfPayment);
    const receipt = await client.getTransactionReceipt({ hash: feedback.transaction });
    // Given at the canonical reputation registry, and readable there through the bindings' canonical export.
    const { reputationRegistry } = getErc8004CanonicalAddresses({ chainId: 31337 });
    assert.equal(receipt.to, reputationRegistry.toLowerCase());
    const [event] = parseEventLogs({ abi: reputationRegistryAbi, eventName: "NewFeedback", logs: receipt.logs });
    assert.equal(event?.address, reputationRegistry.toLowerCase());
    const [, , , , , , revoked] = await client.readContract({
      address: reputationRegistry,
      abi: reputationRegistryAbi,
      functionName: "readAllFeedback",
      args: [devnet.agent.agentId, [feedback.clientAddress], "", "", false],
    });
    assert.deepEqual(revoked, [false]);
    assert.equal(event?.args.feedbackHash, feedback.feedbackHash);
    assert.equal(event?.args.agentId, devnet.agent.agentId);
    assert.equal(event?.args.value, 100n);
    assert.deepEqual(feedback.summary, { count: 1n, value: 100n, decimals: 0 });
  });

  test("behavior: devnet.env holds the env block, one NAME=value per line, marked test-only", () => {
    const text = readFileSync(devnet.envFile, "utf8");
    const lines = text.trimEnd().split("\n");
    const entries = Object.fromEntries(
      lines
        .filter((line) => !line.startsWith("#"))
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    assert.deepEqual(entries, { ...devnet.env });
    for (const name of [
      "RPC_URL",
      "CHAIN_ID",
      "NETWORK",
      "TOKEN_ADDRESS",
      "TOKEN_NAME",
      "TOKEN_VERSION",
      "ROUTER_ADDRESS",
      "MULTICALL3_ADDRESS",
      "PERMIT2_ADDRESS",
      "BATCH_SETTLEMENT_ADDRESS",
      "ERC3009_DEPOSIT_COLLECTOR_ADDRESS",
      "PERMIT2_DEPOSIT_COLLECTOR_ADDRESS",
      "X402_EXACT_PERMIT2_PROXY_ADDRESS",
      "X402_UPTO_PERMIT2_PROXY_ADDRESS",
      "IDENTITY_REGISTRY_ADDRESS",
      "REPUTATION_REGISTRY_ADDRESS",
      "VALIDATION_REGISTRY_ADDRESS",
      "FACILITATOR_URL",
      "DEMO_API_URL",
      "DEPLOYER_PRIVATE_KEY",
      "PAYER_1_PRIVATE_KEY",
      "PAYER_2_PRIVATE_KEY",
    ]) {
      assert.ok(entries[name], `${name} missing`);
    }
    assert.equal(entries.RPC_URL, devnet.rpcUrl);
    assert.equal(entries.NETWORK, "eip155:31337");
    assert.equal(entries.TOKEN_ADDRESS, devnet.contracts.token.address);
    assert.equal(entries.PAYER_2_PRIVATE_KEY, devnet.accounts.payers[1]?.privateKey);
    assert.equal("PAYER_3_PRIVATE_KEY" in entries, false);
    assert.match(lines[0] as string, /TEST ONLY/);
    assert.match(
      lines[lines.indexOf(`DEPLOYER_PRIVATE_KEY=${entries.DEPLOYER_PRIVATE_KEY}`) - 1] as string,
      /TEST-ONLY/,
    );
  });

  test("behavior: stop() leaves no process, port or temporary directory behind", async () => {
    const urls = [devnet.rpcUrl, devnet.facilitatorUrl, devnet.demoApiUrl as string];
    await devnet.stop();
    assert.deepEqual(await devnet.stopped, { error: undefined });
    await assertNothingLeft({ nodePid: devnet.nodePid, urls });
    assert.equal(existsSync(devnet.dataDir), false);
    await devnet.stop(); // idempotent
  });
});
