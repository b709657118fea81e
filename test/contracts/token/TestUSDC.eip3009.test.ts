import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { anyValue } from "@nomicfoundation/hardhat-viem-assertions/predicates";
import { network } from "hardhat";
import type { Hex } from "viem";
import { getAddress, parseAbi, parseEventLogs, recoverTypedDataAddress, zeroAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  CANCEL_AUTHORIZATION_TYPEHASH,
  cancelAuthorizationTypes,
  RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
  receiveWithAuthorizationTypes,
  TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
  transferWithAuthorizationTypes,
} from "../../../packages/signer/src/eip3009/constants.js";
import type { Authorization } from "../../helpers/eip3009.js";
import {
  buildAuthorization,
  nonceFor,
  signCancelAuthorization,
  signReceiveAuthorization,
  signTransferAuthorization,
  splitSignature,
  tokenDomain,
  typeHash,
} from "../../helpers/eip3009.js";

// Fixed keys keep the vectors deterministic.
const payer = privateKeyToAccount("0x00000000000000000000000000000000000000000000000000000000000a11ce");
const stranger = privateKeyToAccount("0x0000000000000000000000000000000000000000000000000000000000000b0b");
const INITIAL_BALANCE = 1_000_000_000n;

/** The two ways every EIP-3009 entry point can be called. */
const forms = ["vrs", "bytes"] as const;

describe("TestUSDC EIP-3009", async () => {
  const { viem, networkHelpers } = await network.create();
  const publicClient = await viem.getPublicClient();
  const chainId = await publicClient.getChainId();

  async function deployTokenFixture() {
    const [admin, relayer, payee] = await viem.getWalletClients();
    if (admin === undefined || relayer === undefined || payee === undefined) throw new Error("need 3 accounts");
    const token = await viem.deployContract("TestUSDC", ["USDC", "USDC", "2", admin.account.address]);
    const wallet = await viem.deployContract("ERC1271WalletMock", [payer.address, false]);
    const refusingWallet = await viem.deployContract("ERC1271WalletMock", [payer.address, true]);
    await token.write.configureMinter([admin.account.address, 2n ** 256n - 1n]);
    for (const holder of [payer.address, wallet.address, refusingWallet.address]) {
      await token.write.mint([holder, INITIAL_BALANCE]);
    }
    const tokenAs = (client: typeof relayer) =>
      viem.getContractAt("TestUSDC", token.address, { client: { wallet: client } });
    return {
      token,
      wallet,
      refusingWallet,
      relayer,
      payee,
      asRelayer: await tokenAs(relayer),
      asPayee: await tokenAs(payee),
      domain: tokenDomain(token.address, chainId),
    };
  }

  type Fixture = Awaited<ReturnType<typeof deployTokenFixture>>;

  async function now(): Promise<bigint> {
    return BigInt(await networkHelpers.time.latest());
  }

  function transferWith(contract: Fixture["asRelayer"], form: (typeof forms)[number], a: Authorization, sig: Hex) {
    const args = [a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce] as const;
    if (form === "bytes") return contract.write.transferWithAuthorization([...args, sig]);
    const { v, r, s } = splitSignature(sig);
    return contract.write.transferWithAuthorization([...args, v, r, s]);
  }

  function receiveWith(contract: Fixture["asRelayer"], form: (typeof forms)[number], a: Authorization, sig: Hex) {
    const args = [a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce] as const;
    if (form === "bytes") return contract.write.receiveWithAuthorization([...args, sig]);
    const { v, r, s } = splitSignature(sig);
    return contract.write.receiveWithAuthorization([...args, v, r, s]);
  }

  function cancelWith(contract: Fixture["asRelayer"], form: (typeof forms)[number], nonce: Hex, sig: Hex) {
    if (form === "bytes") return contract.write.cancelAuthorization([payer.address, nonce, sig]);
    const { v, r, s } = splitSignature(sig);
    return contract.write.cancelAuthorization([payer.address, nonce, v, r, s]);
  }

  describe("type hashes", () => {
    it("match the signer package's type tables and constants", async () => {
      const { token } = await networkHelpers.loadFixture(deployTokenFixture);
      const onChain = {
        transfer: await token.read.TRANSFER_WITH_AUTHORIZATION_TYPEHASH(),
        receive: await token.read.RECEIVE_WITH_AUTHORIZATION_TYPEHASH(),
        cancel: await token.read.CANCEL_AUTHORIZATION_TYPEHASH(),
      };
      assert.deepEqual(onChain, {
        transfer: typeHash(transferWithAuthorizationTypes, "TransferWithAuthorization"),
        receive: typeHash(receiveWithAuthorizationTypes, "ReceiveWithAuthorization"),
        cancel: typeHash(cancelAuthorizationTypes, "CancelAuthorization"),
      });
      assert.deepEqual(onChain, {
        transfer: TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
        receive: RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
        cancel: CANCEL_AUTHORIZATION_TYPEHASH,
      });
    });

    it("exposes the domain an x402 requirement's extra carries", async () => {
      const { token } = await networkHelpers.loadFixture(deployTokenFixture);
      // x402 facilitators compare name() and version() with extra.name / extra.version.
      assert.equal(await token.read.name(), "USDC");
      assert.equal(await token.read.version(), "2");
      assert.equal(await token.read.decimals(), 6);
      const [fields, name, version, domainChainId, verifyingContract] = await token.read.eip712Domain();
      assert.deepEqual(
        [fields, name, version, Number(domainChainId), verifyingContract],
        ["0x0f", "USDC", "2", chainId, getAddress(token.address)],
      );
    });
  });

  for (const form of forms) {
    describe(`transferWithAuthorization (${form})`, () => {
      it("moves funds when relayed and logs AuthorizationUsed before Transfer", async () => {
        const { token, asRelayer, payee, domain } = await networkHelpers.loadFixture(deployTokenFixture);
        const a = buildAuthorization(
          { from: payer.address, to: payee.account.address, nonce: nonceFor(form) },
          await now(),
        );
        const signature = await signTransferAuthorization(payer, domain, a);
        // Round trip: the signature recovers to the payer off-chain too.
        assert.equal(
          await recoverTypedDataAddress({
            domain,
            types: transferWithAuthorizationTypes,
            primaryType: "TransferWithAuthorization",
            message: a,
            signature,
          }),
          payer.address,
        );

        const hash = await transferWith(asRelayer, form, a, signature);
        const receipt = await publicClient.waitForTransactionReceipt({ hash });
        const logs = parseEventLogs({ abi: token.abi, logs: receipt.logs });
        assert.deepEqual(
          logs.map((log) => log.eventName),
          ["AuthorizationUsed", "Transfer"],
        );
        assert.deepEqual(logs[0]?.args, { authorizer: payer.address, nonce: a.nonce });
        assert.deepEqual(logs[1]?.args, { from: payer.address, to: getAddress(payee.account.address), value: a.value });
        assert.equal(await token.read.balanceOf([payer.address]), INITIAL_BALANCE - a.value);
        assert.equal(await token.read.balanceOf([payee.account.address]), a.value);
        assert.equal(await token.read.authorizationState([payer.address, a.nonce]), true);
      });

      it("rejects an expired authorization (validBefore == block.timestamp)", async () => {
        const { asRelayer, payee, domain } = await networkHelpers.loadFixture(deployTokenFixture);
        const time = (await now()) + 100n;
        const a = buildAuthorization(
          { from: payer.address, to: payee.account.address, nonce: nonceFor("expired"), validBefore: time },
          time,
        );
        const signature = await signTransferAuthorization(payer, domain, a);
        await networkHelpers.time.setNextBlockTimestamp(time);
        await viem.assertions.revertWithCustomErrorWithArgs(
          transferWith(asRelayer, form, a, signature),
          asRelayer,
          "ERC3009AuthorizationExpired",
          [time, anyValue],
        );
      });

      it("rejects an authorization that is not valid yet (validAfter == block.timestamp)", async () => {
        const { asRelayer, payee, domain } = await networkHelpers.loadFixture(deployTokenFixture);
        const time = (await now()) + 100n;
        const a = buildAuthorization(
          { from: payer.address, to: payee.account.address, nonce: nonceFor("early"), validAfter: time + 1000n },
          time,
        );
        const signature = await signTransferAuthorization(payer, domain, a);
        await viem.assertions.revertWithCustomErrorWithArgs(
          transferWith(asRelayer, form, a, signature),
          asRelayer,
          "ERC3009AuthorizationNotYetValid",
          [time + 1000n, anyValue],
        );
      });

      it("rejects a reused nonce", async () => {
        const { asRelayer, payee, domain } = await networkHelpers.loadFixture(deployTokenFixture);
        const a = buildAuthorization(
          { from: payer.address, to: payee.account.address, nonce: nonceFor("reuse") },
          await now(),
        );
        const signature = await signTransferAuthorization(payer, domain, a);
        await transferWith(asRelayer, form, a, signature);
        await viem.assertions.revertWithCustomErrorWithArgs(
          transferWith(asRelayer, form, a, signature),
          asRelayer,
          "ERC3009AuthorizationUsedOrCanceled",
          [payer.address, a.nonce],
        );
      });

      it("rejects a signature by another key and names the recovered signer", async () => {
        const { asRelayer, payee, domain } = await networkHelpers.loadFixture(deployTokenFixture);
        const a = buildAuthorization(
          { from: payer.address, to: payee.account.address, nonce: nonceFor("stranger") },
          await now(),
        );
        const signature = await signTransferAuthorization(stranger, domain, a);
        await viem.assertions.revertWithCustomErrorWithArgs(
          transferWith(asRelayer, form, a, signature),
          asRelayer,
          "ERC3009InvalidSignature",
          [stranger.address, payer.address],
        );
      });

      it("rejects a signature for another chain id", async () => {
        const { token, asRelayer, payee } = await networkHelpers.loadFixture(deployTokenFixture);
        const a = buildAuthorization(
          { from: payer.address, to: payee.account.address, nonce: nonceFor("chain") },
          await now(),
        );
        const otherChain = tokenDomain(token.address, 84532);
        const signature = await signTransferAuthorization(payer, otherChain, a);
        const recovered = await recoverTypedDataAddress({
          domain: tokenDomain(token.address, chainId),
          types: transferWithAuthorizationTypes,
          primaryType: "TransferWithAuthorization",
          message: a,
          signature,
        });
        await viem.assertions.revertWithCustomErrorWithArgs(
          transferWith(asRelayer, form, a, signature),
          asRelayer,
          "ERC3009InvalidSignature",
          [recovered, payer.address],
        );
      });

      it("rejects a payer without enough balance", async () => {
        const { asRelayer, payee, domain } = await networkHelpers.loadFixture(deployTokenFixture);
        const a = buildAuthorization(
          { from: payer.address, to: payee.account.address, nonce: nonceFor("poor"), value: INITIAL_BALANCE + 1n },
          await now(),
        );
        const signature = await signTransferAuthorization(payer, domain, a);
        await viem.assertions.revertWithCustomErrorWithArgs(
          transferWith(asRelayer, form, a, signature),
          asRelayer,
          "ERC20InsufficientBalance",
          [payer.address, INITIAL_BALANCE, INITIAL_BALANCE + 1n],
        );
      });

      it("accepts an ERC-1271 wallet payer", async () => {
        const { token, wallet, asRelayer, payee, domain } = await networkHelpers.loadFixture(deployTokenFixture);
        const a = buildAuthorization(
          { from: wallet.address, to: payee.account.address, nonce: nonceFor("wallet") },
          await now(),
        );
        // The wallet's owner signs the wallet's authorization.
        const signature = await signTransferAuthorization(payer, domain, a);
        await viem.assertions.emitWithArgs(transferWith(asRelayer, form, a, signature), token, "AuthorizationUsed", [
          getAddress(wallet.address),
          a.nonce,
        ]);
        assert.equal(await token.read.balanceOf([payee.account.address]), a.value);
      });

      it("rejects a payer wallet that refuses the signature", async () => {
        const { refusingWallet, asRelayer, payee, domain } = await networkHelpers.loadFixture(deployTokenFixture);
        const a = buildAuthorization(
          { from: refusingWallet.address, to: payee.account.address, nonce: nonceFor("refuse") },
          await now(),
        );
        const signature = await signTransferAuthorization(payer, domain, a);
        await viem.assertions.revertWithCustomErrorWithArgs(
          transferWith(asRelayer, form, a, signature),
          asRelayer,
          "ERC3009InvalidSignature",
          [zeroAddress, getAddress(refusingWallet.address)],
        );
      });
    });

    describe(`receiveWithAuthorization (${form})`, () => {
      it("moves funds when the payee submits", async () => {
        const { token, asPayee, payee, domain } = await networkHelpers.loadFixture(deployTokenFixture);
        const a = buildAuthorization(
          { from: payer.address, to: payee.account.address, nonce: nonceFor("receive") },
          await now(),
        );
        const signature = await signReceiveAuthorization(payer, domain, a);
        const hash = await receiveWith(asPayee, form, a, signature);
        const receipt = await publicClient.waitForTransactionReceipt({ hash });
        assert.deepEqual(
          parseEventLogs({ abi: token.abi, logs: receipt.logs }).map((log) => log.eventName),
          ["AuthorizationUsed", "Transfer"],
        );
        assert.equal(await token.read.balanceOf([payee.account.address]), a.value);
      });

      it("rejects a caller other than the payee", async () => {
        const { asRelayer, relayer, payee, domain } = await networkHelpers.loadFixture(deployTokenFixture);
        const a = buildAuthorization(
          { from: payer.address, to: payee.account.address, nonce: nonceFor("front-run") },
          await now(),
        );
        const signature = await signReceiveAuthorization(payer, domain, a);
        await viem.assertions.revertWithCustomErrorWithArgs(
          receiveWith(asRelayer, form, a, signature),
          asRelayer,
          "ERC3009CallerMustBePayee",
          [getAddress(relayer.account.address), getAddress(payee.account.address)],
        );
      });
    });

    describe(`cancelAuthorization (${form})`, () => {
      it("spends the nonce so the authorization can no longer be used", async () => {
        const { token, asRelayer, payee, domain } = await networkHelpers.loadFixture(deployTokenFixture);
        const a = buildAuthorization(
          { from: payer.address, to: payee.account.address, nonce: nonceFor("cancel") },
          await now(),
        );
        const transferSignature = await signTransferAuthorization(payer, domain, a);
        const cancelSignature = await signCancelAuthorization(payer, domain, {
          authorizer: payer.address,
          nonce: a.nonce,
        });
        await viem.assertions.emitWithArgs(
          cancelWith(asRelayer, form, a.nonce, cancelSignature),
          token,
          "AuthorizationCanceled",
          [payer.address, a.nonce],
        );
        assert.equal(await token.read.authorizationState([payer.address, a.nonce]), true);
        await viem.assertions.revertWithCustomErrorWithArgs(
          transferWith(asRelayer, form, a, transferSignature),
          asRelayer,
          "ERC3009AuthorizationUsedOrCanceled",
          [payer.address, a.nonce],
        );
      });
    });
  }

  describe("error reporting", () => {
    it("names its custom errors in the node's message, where x402's settle-error expressions look", async () => {
      // The reference facilitator calls the token with an ABI that has no error entries and classifies the
      // failure with /AuthorizationExpired/i etc. over the message; a Hardhat node decodes our error there.
      const { asRelayer, payee, domain, token } = await networkHelpers.loadFixture(deployTokenFixture);
      const a = buildAuthorization(
        { from: payer.address, to: payee.account.address, nonce: nonceFor("message") },
        await now(),
      );
      const signature = await signTransferAuthorization(payer, domain, a);
      await asRelayer.write.transferWithAuthorization([
        a.from,
        a.to,
        a.value,
        a.validAfter,
        a.validBefore,
        a.nonce,
        signature,
      ]);
      const errorlessAbi = parseAbi([
        "function transferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce,bytes signature)",
      ]);
      await assert.rejects(
        publicClient.simulateContract({
          address: token.address,
          abi: errorlessAbi,
          functionName: "transferWithAuthorization",
          args: [a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, signature],
        }),
        (error: Error) =>
          error.message.includes(`custom error 'ERC3009AuthorizationUsedOrCanceled("${payer.address}"`) &&
          /authorization.*used/i.test(error.message),
      );
    });
  });
});
