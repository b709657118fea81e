import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, keccak256, toHex, zeroHash } from "viem";
import { deployErc8004 } from "../../helpers/erc8004.js";

const REQUEST_URI = "ipfs://bafkreirequest";
const REQUEST_HASH = keccak256(toHex("request payload with a salt"));

describe("ValidationRegistry", async () => {
  const { viem, networkHelpers } = await network.create();

  async function deployValidationFixture() {
    const [admin, agentOwner, operator, validator, stranger] = await viem.getWalletClients();
    if (!admin || !agentOwner || !operator || !validator || !stranger) throw new Error("need 5 accounts");
    const { identity, validation } = await deployErc8004(viem, admin.account.address);
    const identityAsOwner = await viem.getContractAt("IdentityRegistry", identity.address, {
      client: { wallet: agentOwner },
    });
    await identityAsOwner.write.register(["ipfs://agent"]);
    await identityAsOwner.write.setApprovalForAll([operator.account.address, true]);
    const as = (wallet: typeof admin) =>
      viem.getContractAt("ValidationRegistry", validation.address, { client: { wallet } });
    return {
      validation,
      identityAsOwner,
      agentId: 0n,
      agentOwner,
      operator,
      validator,
      stranger,
      asOwner: await as(agentOwner),
      asOperator: await as(operator),
      asValidator: await as(validator),
      asStranger: await as(stranger),
    };
  }

  // "This function MUST be called by the owner or operator of agentId." Then "This function MUST be called by the
  // validatorAddress specified in the original request"; it "can be called multiple times for the same requestHash".
  it("runs a request through progressive responses, keeping the latest", async () => {
    const { validation, asOperator, asValidator, validator, agentId } =
      await networkHelpers.loadFixture(deployValidationFixture);
    await viem.assertions.emitWithArgs(
      asOperator.write.validationRequest([validator.account.address, agentId, REQUEST_URI, REQUEST_HASH]),
      validation,
      "ValidationRequest",
      [getAddress(validator.account.address), agentId, REQUEST_URI, REQUEST_HASH],
    );
    await asValidator.write.validationResponse([REQUEST_HASH, 60, "ipfs://soft", zeroHash, "soft-finality"]);
    const evidence = keccak256(toHex("evidence"));
    await viem.assertions.emitWithArgs(
      asValidator.write.validationResponse([REQUEST_HASH, 100, "ipfs://hard", evidence, "hard-finality"]),
      validation,
      "ValidationResponse",
      [getAddress(validator.account.address), agentId, REQUEST_HASH, 100, "ipfs://hard", evidence, "hard-finality"],
    );
    const [validatorAddress, storedAgent, response, responseHash, tag, lastUpdate] =
      await validation.read.getValidationStatus([REQUEST_HASH]);
    assert.deepEqual(
      [validatorAddress, storedAgent, response, responseHash, tag],
      [getAddress(validator.account.address), agentId, 100, evidence, "hard-finality"],
    );
    assert.equal(lastUpdate, BigInt(await networkHelpers.time.latest()));
    assert.deepEqual(await validation.read.getSummary([agentId, [], ""]), [1n, 100]);
    assert.deepEqual(await validation.read.getAgentValidations([agentId]), [REQUEST_HASH]);
    assert.deepEqual(await validation.read.getValidatorRequests([validator.account.address]), [REQUEST_HASH]);
  });

  it("refuses a request by a stranger", async () => {
    const { asStranger, stranger, validator, agentId } = await networkHelpers.loadFixture(deployValidationFixture);
    await viem.assertions.revertWithCustomErrorWithArgs(
      asStranger.write.validationRequest([validator.account.address, agentId, REQUEST_URI, REQUEST_HASH]),
      asStranger,
      "ValidationRegistryUnauthorized",
      [agentId, getAddress(stranger.account.address)],
    );
  });

  // erc-8004-contracts issue #12: the agent's owner or operator must not validate its own agent.
  it("refuses self-validation when requested and when responding", async () => {
    const { asOwner, asValidator, identityAsOwner, agentOwner, operator, validator, agentId } =
      await networkHelpers.loadFixture(deployValidationFixture);
    for (const self of [agentOwner, operator]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        asOwner.write.validationRequest([self.account.address, agentId, REQUEST_URI, REQUEST_HASH]),
        asOwner,
        "ValidationRegistrySelfValidation",
        [agentId, getAddress(self.account.address)],
      );
    }
    await asOwner.write.validationRequest([validator.account.address, agentId, REQUEST_URI, REQUEST_HASH]);
    await identityAsOwner.write.approve([validator.account.address, agentId]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      asValidator.write.validationResponse([REQUEST_HASH, 100, "", zeroHash, ""]),
      asValidator,
      "ValidationRegistrySelfValidation",
      [agentId, getAddress(validator.account.address)],
    );
  });

  it("refuses a response by anyone but the named validator", async () => {
    const { asOwner, asStranger, stranger, validator, agentId } =
      await networkHelpers.loadFixture(deployValidationFixture);
    await asOwner.write.validationRequest([validator.account.address, agentId, REQUEST_URI, REQUEST_HASH]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      asStranger.write.validationResponse([REQUEST_HASH, 100, "", zeroHash, ""]),
      asStranger,
      "ValidationRegistryNotValidator",
      [REQUEST_HASH, getAddress(stranger.account.address)],
    );
  });

  it("refuses an unknown agent with its id", async () => {
    const { asOwner, validator } = await networkHelpers.loadFixture(deployValidationFixture);
    await viem.assertions.revertWithCustomErrorWithArgs(
      asOwner.write.validationRequest([validator.account.address, 9n, REQUEST_URI, REQUEST_HASH]),
      asOwner,
      "ValidationRegistryNonexistentAgent",
      [9n],
    );
  });
});
