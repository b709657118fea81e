import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, keccak256, parseEventLogs, toHex, zeroAddress, zeroHash } from "viem";
import { deployErc8004 } from "../../helpers/erc8004.js";

const FEEDBACK_URI = "ipfs://bafkreidgvpkjawlxz6sffxzwgooowe5yt7i6wsyg236mfoks77nywkptdq";
const FEEDBACK_HASH = keccak256(toHex("feedback file"));

describe("ReputationRegistry", async () => {
  const { viem, networkHelpers } = await network.create();
  const publicClient = await viem.getPublicClient();

  async function deployReputationFixture() {
    const [admin, agentOwner, operator, alice, bob, carol] = await viem.getWalletClients();
    if (!admin || !agentOwner || !operator || !alice || !bob || !carol) throw new Error("need 6 accounts");
    const { identity, reputation } = await deployErc8004(viem, admin.account.address);
    const as = (wallet: typeof admin) =>
      viem.getContractAt("ReputationRegistry", reputation.address, { client: { wallet } });
    const identityAsOwner = await viem.getContractAt("IdentityRegistry", identity.address, {
      client: { wallet: agentOwner },
    });
    await identityAsOwner.write.register(["ipfs://agent"]);
    await identityAsOwner.write.setApprovalForAll([operator.account.address, true]);
    return {
      identity,
      reputation,
      agentId: 0n,
      agentOwner,
      operator,
      alice,
      bob,
      carol,
      asOwner: await as(agentOwner),
      asOperator: await as(operator),
      asAlice: await as(alice),
      asBob: await as(bob),
      asCarol: await as(carol),
    };
  }

  describe("giveFeedback", () => {
    // "If the procedure succeeds, an event is emitted: NewFeedback(...)": viem decodes every field of our event.
    it("emits a NewFeedback that viem decodes field by field", async () => {
      const { reputation, asAlice, alice, agentId } = await networkHelpers.loadFixture(deployReputationFixture);
      const hash = await asAlice.write.giveFeedback([
        agentId,
        -32n,
        1,
        "tradingYield",
        "week",
        "https://agent.example/GetPrice",
        FEEDBACK_URI,
        FEEDBACK_HASH,
      ]);
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      const [log] = parseEventLogs({ abi: reputation.abi, logs: receipt.logs, eventName: "NewFeedback" });
      assert.deepEqual(log?.args, {
        agentId,
        clientAddress: getAddress(alice.account.address),
        feedbackIndex: 1n,
        value: -32n,
        valueDecimals: 1,
        indexedTag1: keccak256(toHex("tradingYield")),
        tag1: "tradingYield",
        tag2: "week",
        endpoint: "https://agent.example/GetPrice",
        feedbackURI: FEEDBACK_URI,
        feedbackHash: FEEDBACK_HASH,
      });
      assert.deepEqual(await reputation.read.readFeedback([agentId, alice.account.address, 1n]), [
        -32n,
        1,
        "tradingYield",
        "week",
        false,
      ]);
    });

    // "The feedback submitter MUST NOT be the agent owner or an approved operator for agentId."
    it("refuses the agent's owner and operators", async () => {
      const { asOwner, asOperator, agentOwner, operator, agentId } =
        await networkHelpers.loadFixture(deployReputationFixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        asOwner.write.giveFeedback([agentId, 100n, 0, "", "", "", "", zeroHash]),
        asOwner,
        "ReputationRegistrySelfFeedback",
        [agentId, getAddress(agentOwner.account.address)],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        asOperator.write.giveFeedback([agentId, 100n, 0, "", "", "", "", zeroHash]),
        asOperator,
        "ReputationRegistrySelfFeedback",
        [agentId, getAddress(operator.account.address)],
      );
    });

    // "The agentId must be a validly registered agent."
    it("refuses an unknown agent with its id", async () => {
      const { asAlice } = await networkHelpers.loadFixture(deployReputationFixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        asAlice.write.giveFeedback([5n, 1n, 0, "", "", "", "", zeroHash]),
        asAlice,
        "ReputationRegistryNonexistentAgent",
        [5n],
      );
    });

    // "The valueDecimals MUST be between 0 and 18."
    it("refuses more than 18 decimals", async () => {
      const { asAlice, agentId } = await networkHelpers.loadFixture(deployReputationFixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        asAlice.write.giveFeedback([agentId, 1n, 19, "", "", "", "", zeroHash]),
        asAlice,
        "ReputationRegistryInvalidValueDecimals",
        [19],
      );
    });
  });

  describe("getSummary", () => {
    // The spec's value/decimals table: a client's uptime readings, summarised at the most common decimals.
    it("averages at the most common decimals, skipping revoked feedback", async () => {
      const { reputation, asAlice, asBob, asCarol, alice, bob, carol, agentId } =
        await networkHelpers.loadFixture(deployReputationFixture);
      await asAlice.write.giveFeedback([agentId, 9977n, 2, "uptime", "", "", "", zeroHash]); // 99.77 %
      await asBob.write.giveFeedback([agentId, 9950n, 2, "uptime", "", "", "", zeroHash]); // 99.50 %
      await asCarol.write.giveFeedback([agentId, 80n, 0, "uptime", "", "", "", zeroHash]); // 80 %
      await asCarol.write.giveFeedback([agentId, 87n, 0, "starred", "", "", "", zeroHash]);
      const everyone = [alice.account.address, bob.account.address, carol.account.address];

      assert.deepEqual(await reputation.read.getSummary([agentId, everyone, "uptime", ""]), [3n, 9309n, 2]);
      await asCarol.write.revokeFeedback([agentId, 1n]);
      assert.deepEqual(await reputation.read.getSummary([agentId, everyone, "uptime", ""]), [2n, 9963n, 2]);
      assert.deepEqual(await reputation.read.getSummary([agentId, everyone, "starred", ""]), [1n, 87n, 0]);
    });

    // "clientAddresses MUST be provided (non-empty)"
    it("requires client addresses", async () => {
      const { reputation, agentId } = await networkHelpers.loadFixture(deployReputationFixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        reputation.read.getSummary([agentId, [], "", ""]),
        reputation,
        "ReputationRegistryClientAddressesRequired",
        [agentId],
      );
    });
  });

  describe("reads", () => {
    // "Revoked feedback are omitted by default."
    it("lists feedback, clients and responses", async () => {
      const { reputation, asAlice, asBob, asOwner, alice, bob, agentId } =
        await networkHelpers.loadFixture(deployReputationFixture);
      for (let i = 1n; i <= 4n; i++) await asAlice.write.giveFeedback([agentId, i, 0, "t", "", "", "", zeroHash]);
      await asBob.write.giveFeedback([agentId, 50n, 0, "", "", "", "", zeroHash]);
      await asAlice.write.revokeFeedback([agentId, 2n]);
      await asOwner.write.appendResponse([agentId, alice.account.address, 4n, "ipfs://refund", zeroHash]);

      const [clients, indexes, values] = await reputation.read.readAllFeedback([agentId, [], "", "", false]);
      assert.deepEqual(
        clients,
        [alice, alice, alice, bob].map((w) => getAddress(w.account.address)),
      );
      assert.deepEqual(indexes, [1n, 3n, 4n, 1n]);
      assert.deepEqual(values, [1n, 3n, 4n, 50n]);
      assert.deepEqual(
        await reputation.read.getClients([agentId]),
        [alice, bob].map((w) => getAddress(w.account.address)),
      );
      assert.deepEqual(await reputation.read.getClientsPaginated([agentId, 1n, 5n]), [getAddress(bob.account.address)]);
      assert.equal(await reputation.read.getLastIndex([agentId, alice.account.address]), 4n);
      assert.equal(await reputation.read.getResponseCount([agentId, zeroAddress, 0n, []]), 1n);

      const page = await reputation.read.readClientFeedbackPaginated([agentId, alice.account.address, 2n, 2n]);
      assert.deepEqual(
        page.map((f) => [f.value, f.isRevoked, f.tag1]),
        [
          [2n, true, "t"],
          [3n, false, "t"],
        ],
      );
    });
  });
});
