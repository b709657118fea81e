import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import type { Hex } from "viem";
import { getAddress, hashTypedData, keccak256, parseEventLogs, toHex, zeroAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { buildAgentWalletSetTypedData } from "../../../packages/signer/src/erc8004/buildAgentWalletSetTypedData.js";
import { AGENT_WALLET_SET_TYPEHASH, agentWalletSetTypes } from "../../../packages/signer/src/erc8004/constants.js";
import { signAgentWalletSet } from "../../../packages/signer/src/erc8004/signAgentWalletSet.js";
import { deployErc8004, identityDomain } from "../../helpers/erc8004.js";

// Fixed keys keep the signature vectors deterministic.
const walletKey = privateKeyToAccount("0x00000000000000000000000000000000000000000000000000000000000a11ce");
const otherKey = privateKeyToAccount("0x0000000000000000000000000000000000000000000000000000000000000b0b");
const AGENT_URI = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/agent.json";
// An indexed string is logged as the keccak256 of its bytes.
const AGENT_WALLET_TOPIC = keccak256(toHex("agentWallet"));

describe("IdentityRegistry", async () => {
  const { viem, networkHelpers } = await network.create();
  const publicClient = await viem.getPublicClient();
  const chainId = await publicClient.getChainId();

  async function deployIdentityFixture() {
    const [admin, agentOwner, operator, stranger] = await viem.getWalletClients();
    if (!admin || !agentOwner || !operator || !stranger) throw new Error("need 4 accounts");
    const { identity } = await deployErc8004(viem, admin.account.address);
    const asOwner = await viem.getContractAt("IdentityRegistry", identity.address, {
      client: { wallet: agentOwner },
    });
    const asStranger = await viem.getContractAt("IdentityRegistry", identity.address, {
      client: { wallet: stranger },
    });
    await asOwner.write.register([AGENT_URI]);
    await asOwner.write.setApprovalForAll([operator.account.address, true]);
    const asOperator = await viem.getContractAt("IdentityRegistry", identity.address, {
      client: { wallet: operator },
    });
    return { identity, asOwner, asOperator, asStranger, agentOwner, stranger, agentId: 0n };
  }

  /** Signs with the signer package's typed data, for any deadline (the registry, not the SDK, is under test). */
  async function signWallet(
    account: typeof walletKey,
    identity: Hex,
    message: { agentId: bigint; newWallet: Hex; owner: Hex; deadline: bigint },
  ): Promise<Hex> {
    return account.signTypedData(buildAgentWalletSetTypedData({ identityRegistry: identity, chainId, ...message }));
  }

  async function inMinutes(minutes: number): Promise<bigint> {
    return BigInt(await networkHelpers.time.latest()) + BigInt(minutes * 60);
  }

  describe("register", () => {
    // "This emits one Transfer event, one MetadataSet event for the reserved agentWallet key, one MetadataSet event
    // for each additional metadata entry (if any), and Registered"
    it("emits Transfer, MetadataUpdate (URI set), Registered and MetadataSet for the wallet and each entry", async () => {
      const { identity, asStranger, stranger } = await networkHelpers.loadFixture(deployIdentityFixture);
      const hash = await asStranger.write.register([AGENT_URI, [{ metadataKey: "category", metadataValue: "0x01" }]]);
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      const logs = parseEventLogs({ abi: identity.abi, logs: receipt.logs });
      assert.deepEqual(
        logs.map((log) => log.eventName),
        ["Transfer", "MetadataUpdate", "Registered", "MetadataSet", "MetadataSet"],
      );
      const [, metadataUpdate, registered, wallet, entry] = logs;
      assert.deepEqual(metadataUpdate?.args, { _tokenId: 1n });
      assert.deepEqual(registered?.args, {
        agentId: 1n,
        agentURI: AGENT_URI,
        owner: getAddress(stranger.account.address),
      });
      assert.deepEqual(wallet?.args, {
        agentId: 1n,
        indexedMetadataKey: AGENT_WALLET_TOPIC,
        metadataKey: "agentWallet",
        metadataValue: stranger.account.address.toLowerCase(),
      });
      assert.equal(entry?.eventName === "MetadataSet" && entry.args.metadataKey, "category");
      assert.equal(await identity.read.tokenURI([1n]), AGENT_URI);
      assert.equal(await identity.read.getMetadata([1n, "category"]), "0x01");
    });

    // "The key agentWallet is reserved and cannot be set via setMetadata() or during register()"
    it("refuses the reserved agentWallet key", async () => {
      const { asStranger, stranger } = await networkHelpers.loadFixture(deployIdentityFixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        asStranger.write.register([
          AGENT_URI,
          [{ metadataKey: "agentWallet", metadataValue: stranger.account.address }],
        ]),
        asStranger,
        "IdentityRegistryReservedMetadataKey",
        ["agentWallet"],
      );
    });
  });

  describe("setAgentWallet", () => {
    // One definition of the message: the contract's type hash is the signer's constant and the hash of its types.
    it("pins the AgentWalletSet type hash to the signer package", async () => {
      const { identity } = await networkHelpers.loadFixture(deployIdentityFixture);
      const fields = agentWalletSetTypes.AgentWalletSet.map((field) => `${field.type} ${field.name}`).join(",");
      assert.equal(await identity.read.AGENT_WALLET_SET_TYPEHASH(), AGENT_WALLET_SET_TYPEHASH);
      assert.equal(AGENT_WALLET_SET_TYPEHASH, keccak256(toHex(`AgentWalletSet(${fields})`)));
      const [, name, version, domainChainId, verifyingContract] = await identity.read.eip712Domain();
      assert.deepEqual(
        { name, version, chainId: Number(domainChainId), verifyingContract },
        identityDomain(getAddress(identity.address), chainId),
      );
    });

    // "It represents the address where the agent receives payments and is initially set to the owner's address."
    it("starts as the owner", async () => {
      const { identity, agentOwner, agentId } = await networkHelpers.loadFixture(deployIdentityFixture);
      assert.equal(await identity.read.getAgentWallet([agentId]), getAddress(agentOwner.account.address));
    });

    // "the agent owner must prove control of the new wallet by providing a valid EIP-712 signature for EOAs"
    it("accepts the proof made by the signer package's signAgentWalletSet", async () => {
      const { identity, asOperator, agentOwner, agentId } = await networkHelpers.loadFixture(deployIdentityFixture);
      const { signature, deadline } = await signAgentWalletSet({
        signer: walletKey,
        identityRegistry: identity.address,
        chainId,
        agentId,
        owner: agentOwner.account.address,
        now: await networkHelpers.time.latest(),
      });
      await viem.assertions.emitWithArgs(
        asOperator.write.setAgentWallet([agentId, walletKey.address, deadline, signature]),
        identity,
        "MetadataSet",
        [agentId, AGENT_WALLET_TOPIC, "agentWallet", walletKey.address.toLowerCase() as Hex],
      );
      assert.equal(await identity.read.getAgentWallet([agentId]), walletKey.address);
    });

    // "or ERC-1271 for smart contract wallets"
    it("accepts a smart-contract wallet through ERC-1271", async () => {
      const { identity, asOwner, agentOwner, agentId } = await networkHelpers.loadFixture(deployIdentityFixture);
      const wallet = await viem.deployContract("ERC1271WalletMock", [walletKey.address, false]);
      const deadline = await inMinutes(1);
      const digest = hashTypedData(
        buildAgentWalletSetTypedData({
          identityRegistry: identity.address,
          chainId,
          agentId,
          newWallet: wallet.address,
          owner: agentOwner.account.address,
          deadline,
        }),
      );
      await asOwner.write.setAgentWallet([agentId, wallet.address, deadline, await walletKey.sign({ hash: digest })]);
      assert.equal(await identity.read.getAgentWallet([agentId]), getAddress(wallet.address));
    });

    it("refuses a signature by another key", async () => {
      const { identity, asOwner, agentOwner, agentId } = await networkHelpers.loadFixture(deployIdentityFixture);
      const deadline = await inMinutes(1);
      const signature = await signWallet(otherKey, identity.address, {
        agentId,
        newWallet: walletKey.address,
        owner: agentOwner.account.address,
        deadline,
      });
      await viem.assertions.revertWithCustomErrorWithArgs(
        asOwner.write.setAgentWallet([agentId, walletKey.address, deadline, signature]),
        asOwner,
        "IdentityRegistryInvalidWalletSignature",
        [agentId, walletKey.address],
      );
    });

    it("refuses a deadline more than five minutes ahead", async () => {
      const { identity, asOwner, agentOwner, agentId } = await networkHelpers.loadFixture(deployIdentityFixture);
      const deadline = await inMinutes(6);
      const signature = await signWallet(walletKey, identity.address, {
        agentId,
        newWallet: walletKey.address,
        owner: agentOwner.account.address,
        deadline,
      });
      // The transaction is mined one second after the latest block.
      const maxDeadline = BigInt(await networkHelpers.time.latest()) + 1n + 300n;
      await viem.assertions.revertWithCustomErrorWithArgs(
        asOwner.write.setAgentWallet([agentId, walletKey.address, deadline, signature]),
        asOwner,
        "IdentityRegistryDeadlineTooFar",
        [deadline, maxDeadline],
      );
    });

    it("refuses a stranger", async () => {
      const { asStranger, stranger, agentId } = await networkHelpers.loadFixture(deployIdentityFixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        asStranger.write.setAgentWallet([agentId, walletKey.address, await inMinutes(1), "0x"]),
        asStranger,
        "IdentityRegistryUnauthorized",
        [agentId, getAddress(stranger.account.address)],
      );
    });
  });

  describe("transfer", () => {
    // "When the agent is transferred, agentWallet is automatically cleared (effectively resetting it to the zero
    // address) and must be re-verified by the new owner."
    it("clears the agent wallet", async () => {
      const { identity, asOwner, agentOwner, stranger, agentId } =
        await networkHelpers.loadFixture(deployIdentityFixture);
      await viem.assertions.emitWithArgs(
        asOwner.write.transferFrom([agentOwner.account.address, stranger.account.address, agentId]),
        identity,
        "MetadataSet",
        [agentId, AGENT_WALLET_TOPIC, "agentWallet", "0x"],
      );
      assert.equal(await identity.read.getAgentWallet([agentId]), zeroAddress);
      assert.equal(await identity.read.getMetadata([agentId, "agentWallet"]), "0x");
    });
  });

  describe("unknown agents", () => {
    it("revert with ERC721NonexistentToken and the id", async () => {
      const { identity, asOwner } = await networkHelpers.loadFixture(deployIdentityFixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        identity.read.tokenURI([77n]),
        identity,
        "ERC721NonexistentToken",
        [77n],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        asOwner.write.setAgentURI([77n, AGENT_URI]),
        asOwner,
        "ERC721NonexistentToken",
        [77n],
      );
    });

    // The canonical registries read the wallet and metadata from storage without an existence check.
    it("have the zero address as agent wallet and empty metadata, as the canonical registries", async () => {
      const { identity } = await networkHelpers.loadFixture(deployIdentityFixture);
      assert.equal(await identity.read.getAgentWallet([77n]), zeroAddress);
      assert.equal(await identity.read.getMetadata([77n, "agentWallet"]), "0x");
      assert.equal(await identity.read.getMetadata([77n, "category"]), "0x");
    });
  });
});
