/**
 * Gas benchmark for the ERC-8004 registries: the calls the issue compares against the reference implementation
 * (register with a URI, a client's first and later giveFeedback, getSummary over 100 clients) plus the other
 * state-changing entry points, all through ERC-1967 proxies on the in-process Hardhat network.
 *
 *   npx hardhat run scripts/bench/erc8004-gas.ts
 *
 * Prints one line per case as `case<TAB>gas<TAB>reference<TAB>ratio<TAB>change`, and (for our contracts, not with the
 * override below) writes bench/results/erc8004-gas.json. The reference column is the canonical implementation
 * (erc-8004/erc-8004-contracts v2.0.0) compiled with our compiler and settings and measured by this same script (see
 * {@link REFERENCE}). Views are measured with eth_estimateGas.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { network } from "hardhat";
import { type Address, encodeFunctionData, type Hex, keccak256, parseAbi, toHex } from "viem";

type Names = { identity: string; reputation: string; validation: string };
// biome-ignore lint/suspicious/noUndeclaredEnvVars: a manual benchmark switch, not an input of any turbo task.
const namesOverride = process.env.ERC8004_BENCH_NAMES;
const names: Names = {
  identity: "IdentityRegistry",
  reputation: "ReputationRegistry",
  validation: "ValidationRegistry",
  ...(namesOverride ? (JSON.parse(namesOverride) as Partial<Names>) : {}),
};

/**
 * The reference implementation's figures for the same calls, measured once (2026-12-07) with this script in a scratch
 * Hardhat project outside the repo holding erc-8004/erc-8004-contracts at b9e466c (v2.0.0):
 * `IdentityRegistryUpgradeable.sol`, `ReputationRegistryUpgradeable.sol`, `ValidationRegistryUpgradeable.sol`, with
 * one edit (`reinitializer(2) onlyOwner` -> `initializer`, so an ERC1967Proxy constructor can initialise them), built
 * by the same compiler as ours with the same settings: solc 0.8.30 from the `solc` npm package, optimizer on with
 * 10,000 runs, `evmVersion: "prague"`, no metadata hash, OpenZeppelin 5.7 (this repo's node_modules), plus
 * `viaIR: true`, which the reference needs (the legacy code generator fails with "stack too deep" in giveFeedback;
 * its own build uses via-IR too). Run there with
 * `ERC8004_BENCH_NAMES='{"identity":"IdentityRegistryUpgradeable","reputation":"ReputationRegistryUpgradeable",
 * "validation":"ValidationRegistryUpgradeable"}' npx hardhat run scripts/erc8004-gas.ts`.
 */
const REFERENCE: Record<string, number> = {
  "register() first ever": 123_762,
  "register() later": 89_562,
  "register(uri66)": 183_047,
  "register(uri66, 1 entry)": 235_158,
  "setAgentURI(uri66)": 49_871,
  "setMetadata(new key, 32 bytes)": 79_384,
  "giveFeedback first (tag, uri, hash)": 192_530,
  "giveFeedback later (2 tags, endpoint)": 129_438,
  "giveFeedback later minimal (3rd)": 87_903,
  "giveFeedback later minimal (4th)": 87_903,
  "giveFeedback later minimal (5th)": 87_903,
  "giveFeedback second client first (tag, uri, hash)": 175_430,
  "revokeFeedback (client's 2nd)": 36_175,
  "appendResponse new responder": 125_519,
  "appendResponse repeat": 43_421,
  "getSummary 100 clients (no tag)": 641_387,
  "getSummary 100 clients (tag1 filter)": 902_431,
  "readAllFeedback 100 clients": 1_449_849,
  "getClients 100": 262_886,
  "setAgentWallet (EOA signature)": 49_867,
  "unsetAgentWallet (after setAgentWallet)": 32_239,
  "transferFrom (clears wallet)": 68_158,
  "validationRequest (agent's first)": 210_415,
  "validationResponse first": 132_678,
  "validationResponse update": 58_678,
};

/** Operations with a gas target relative to the reference (issue 22): at most this share of its gas. */
const TARGETS: Record<string, number> = {
  "setMetadata(new key, 32 bytes)": 0.8,
  "setAgentURI(uri66)": 0.8,
  "revokeFeedback (client's 2nd)": 0.8,
};

// The canonical initialisers, which both implementations expose.
const initAbi = parseAbi(["function initialize()", "function initialize(address identityRegistry_)"]);

// A 66-character URI: `ipfs://` and a CIDv1.
const URI_66 = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
const FEEDBACK_URI = "ipfs://bafkreidgvpkjawlxz6sffxzwgooowe5yt7i6wsyg236mfoks77nywkptdq";
const FEEDBACK_HASH = keccak256(toHex("feedback file"));

const { viem } = await network.create();
const publicClient = await viem.getPublicClient();
const [deployer, agentOwner, client, responder, validator, ...others] = await viem.getWalletClients();
if (!deployer || !agentOwner || !client || !responder || !validator) throw new Error("not enough accounts");

async function gasOf(hash: Hex): Promise<number> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
  return Number(receipt.gasUsed);
}

async function deployProxy(implName: string, data: Hex): Promise<Address> {
  const impl = await viem.deployContract(implName);
  const proxy = await viem.deployContract("ERC1967Proxy", [impl.address, data]);
  return proxy.address;
}

const identityAddress = await deployProxy(
  names.identity,
  encodeFunctionData({ abi: initAbi, functionName: "initialize", args: [] }),
);
const reputationAddress = await deployProxy(
  names.reputation,
  encodeFunctionData({ abi: initAbi, functionName: "initialize", args: [identityAddress] }),
);
const validationAddress = await deployProxy(
  names.validation,
  encodeFunctionData({ abi: initAbi, functionName: "initialize", args: [identityAddress] }),
);
// Typed with our ABIs: every call below is a canonical function, which both implementations have.
const identity = await viem.getContractAt(names.identity as "IdentityRegistry", identityAddress);
const reputation = await viem.getContractAt(names.reputation as "ReputationRegistry", reputationAddress);
const validation = await viem.getContractAt(names.validation as "ValidationRegistry", validationAddress);

const as = (wallet: typeof deployer) => ({ account: wallet.account });
const gas: Record<string, number> = {};

// Identity.
gas["register() first ever"] = await gasOf(await identity.write.register(as(agentOwner)));
gas["register() later"] = await gasOf(await identity.write.register(as(agentOwner)));
gas["register(uri66)"] = await gasOf(await identity.write.register([URI_66], as(agentOwner)));
gas["register(uri66, 1 entry)"] = await gasOf(
  await identity.write.register(
    [URI_66, [{ metadataKey: "category", metadataValue: keccak256(toHex("x")) }]],
    as(agentOwner),
  ),
);
const agentId = 2n; // the register(uri66) agent
gas["setAgentURI(uri66)"] = await gasOf(await identity.write.setAgentURI([agentId, `${URI_66}b`], as(agentOwner)));
gas["setMetadata(new key, 32 bytes)"] = await gasOf(
  await identity.write.setMetadata([agentId, "category", keccak256(toHex("y"))], as(agentOwner)),
);

// Reputation: a client's first feedback (tag + ipfs URI + hash), a later one with two tags and an
// endpoint, and a later minimal one (no strings).
gas["giveFeedback first (tag, uri, hash)"] = await gasOf(
  await reputation.write.giveFeedback([agentId, 87n, 0, "starred", "", "", FEEDBACK_URI, FEEDBACK_HASH], as(client)),
);
gas["giveFeedback later (2 tags, endpoint)"] = await gasOf(
  await reputation.write.giveFeedback(
    [agentId, 9977n, 2, "uptime", "day", "https://agent.example/api", "", "0x".padEnd(66, "0") as Hex],
    as(client),
  ),
);
const ZERO_HASH = "0x".padEnd(66, "0") as Hex;
gas["giveFeedback later minimal (3rd)"] = await gasOf(
  await reputation.write.giveFeedback([agentId, 1n, 0, "", "", "", "", ZERO_HASH], as(client)),
);
// Later ones from the same client, to show whether the cost depends on the position.
gas["giveFeedback later minimal (4th)"] = await gasOf(
  await reputation.write.giveFeedback([agentId, 2n, 0, "", "", "", "", ZERO_HASH], as(client)),
);
gas["giveFeedback later minimal (5th)"] = await gasOf(
  await reputation.write.giveFeedback([agentId, 3n, 0, "", "", "", "", ZERO_HASH], as(client)),
);
gas["giveFeedback second client first (tag, uri, hash)"] = await gasOf(
  await reputation.write.giveFeedback([agentId, 90n, 0, "starred", "", "", FEEDBACK_URI, FEEDBACK_HASH], as(responder)),
);
gas["revokeFeedback (client's 2nd)"] = await gasOf(await reputation.write.revokeFeedback([agentId, 2n], as(client)));
gas["appendResponse new responder"] = await gasOf(
  await reputation.write.appendResponse(
    [agentId, client.account.address, 1n, FEEDBACK_URI, FEEDBACK_HASH],
    as(agentOwner),
  ),
);
gas["appendResponse repeat"] = await gasOf(
  await reputation.write.appendResponse(
    [agentId, client.account.address, 1n, FEEDBACK_URI, FEEDBACK_HASH],
    as(agentOwner),
  ),
);

// getSummary over 100 distinct clients, one feedback each, on a fresh agent.
const summaryAgent = 3n;
const testClient = await viem.getTestClient();
const clients: Address[] = [];
for (let i = 0; i < 100; i++) {
  const address = `0x${(0x8004_0000 + i).toString(16).padStart(40, "0")}` as Address;
  clients.push(address);
  await testClient.setBalance({ address, value: 10n ** 18n });
  await testClient.impersonateAccount({ address });
  await reputation.write.giveFeedback(
    [summaryAgent, BigInt(50 + (i % 50)), i % 3 === 0 ? 1 : 0, "starred", "", "", "", "0x".padEnd(66, "0") as Hex],
    { account: address },
  );
  await testClient.stopImpersonatingAccount({ address });
}
const estimate = (functionName: string, args: readonly unknown[]) =>
  publicClient
    .estimateContractGas({ address: reputationAddress, abi: reputation.abi, functionName, args } as never)
    .then(Number);
gas["getSummary 100 clients (no tag)"] = await estimate("getSummary", [summaryAgent, clients, "", ""]);
gas["getSummary 100 clients (tag1 filter)"] = await estimate("getSummary", [summaryAgent, clients, "starred", ""]);
gas["readAllFeedback 100 clients"] = await estimate("readAllFeedback", [summaryAgent, clients, "", "", false]);
gas["getClients 100"] = await estimate("getClients", [summaryAgent]);

// Identity: wallet and transfer.
const newWallet = others[1] ?? deployer;
const deadline = (await publicClient.getBlock()).timestamp + 120n;
const signature = await newWallet.signTypedData({
  domain: {
    name: "ERC8004IdentityRegistry",
    version: "1",
    chainId: await publicClient.getChainId(),
    verifyingContract: identityAddress,
  },
  types: {
    AgentWalletSet: [
      { name: "agentId", type: "uint256" },
      { name: "newWallet", type: "address" },
      { name: "owner", type: "address" },
      { name: "deadline", type: "uint256" },
    ],
  },
  primaryType: "AgentWalletSet",
  message: { agentId, newWallet: newWallet.account.address, owner: agentOwner.account.address, deadline },
});
gas["setAgentWallet (EOA signature)"] = await gasOf(
  await identity.write.setAgentWallet([agentId, newWallet.account.address, deadline, signature], as(agentOwner)),
);
gas["unsetAgentWallet (after setAgentWallet)"] = await gasOf(
  await identity.write.unsetAgentWallet([agentId], as(agentOwner)),
);
gas["transferFrom (clears wallet)"] = await gasOf(
  await identity.write.transferFrom(
    [agentOwner.account.address, (others[0] ?? deployer).account.address, 1n],
    as(agentOwner),
  ),
);

// Validation.
const requestHash = keccak256(toHex("request payload"));
gas["validationRequest (agent's first)"] = await gasOf(
  await validation.write.validationRequest(
    [validator.account.address, agentId, FEEDBACK_URI, requestHash],
    as(agentOwner),
  ),
);
gas["validationResponse first"] = await gasOf(
  await validation.write.validationResponse([requestHash, 100, FEEDBACK_URI, FEEDBACK_HASH, "hard"], as(validator)),
);
gas["validationResponse update"] = await gasOf(
  await validation.write.validationResponse([requestHash, 90, FEEDBACK_URI, FEEDBACK_HASH, "soft"], as(validator)),
);

for (const [name, used] of Object.entries(gas)) {
  const reference = REFERENCE[name];
  const ratio = reference === undefined ? "" : `${(used / reference).toFixed(3)}x`;
  const change = reference === undefined ? "" : `${(((used - reference) / reference) * 100).toFixed(1)}%`;
  const target = TARGETS[name];
  const verdict =
    target === undefined || reference === undefined
      ? ""
      : used <= target * reference
        ? "target met"
        : `target ${target}x missed`;
  console.log([name, used, reference ?? "", ratio, change, verdict].join("\t"));
}

if (!namesOverride) {
  mkdirSync("bench/results", { recursive: true });
  writeFileSync(
    "bench/results/erc8004-gas.json",
    `${JSON.stringify(
      {
        description:
          "ERC-8004 registries (ours, UUPS behind ERC1967Proxy) vs the reference implementation " +
          "(erc-8004/erc-8004-contracts v2.0.0) measured by the same script; views by eth_estimateGas. " +
          "Generated by scripts/bench/erc8004-gas.ts.",
        referenceBuild:
          "erc-8004/erc-8004-contracts b9e466c (v2.0.0), solc 0.8.30 (npm), optimizer 10,000 runs, prague, " +
          "no metadata hash, OpenZeppelin 5.7, viaIR (required by the reference); measured 2026-12-07",
        operations: Object.entries(gas).map(([name, used]) => {
          const reference = REFERENCE[name] ?? null;
          return {
            name,
            gas: used,
            reference,
            ratio: reference === null ? null : Number((used / reference).toFixed(3)),
            change: reference === null ? null : Number(((used - reference) / reference).toFixed(3)),
            target: TARGETS[name] ?? null,
          };
        }),
      },
      null,
      2,
    )}\n`,
  );
}
