import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import type { Hex } from "viem";
import { getAddress, zeroAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { permitTypes, signPermit, splitSignature, tokenDomain, typeHash } from "../../helpers/eip3009.js";

const owner = privateKeyToAccount("0x00000000000000000000000000000000000000000000000000000000000a11ce");
const stranger = privateKeyToAccount("0x0000000000000000000000000000000000000000000000000000000000000b0b");
const MAX_UINT256 = 2n ** 256n - 1n;

describe("TestUSDC permit", async () => {
  const { viem, networkHelpers } = await network.create();
  const publicClient = await viem.getPublicClient();
  const chainId = await publicClient.getChainId();

  async function deployPermitFixture() {
    const [admin, relayer, spender] = await viem.getWalletClients();
    if (admin === undefined || relayer === undefined || spender === undefined) throw new Error("need 3 accounts");
    const token = await viem.deployContract("TestUSDC", ["USDC", "USDC", "2", admin.account.address]);
    const wallet = await viem.deployContract("ERC1271WalletMock", [owner.address, false]);
    await token.write.configureMinter([admin.account.address, MAX_UINT256]);
    await token.write.mint([owner.address, 100_000_000n]);
    await token.write.mint([wallet.address, 100_000_000n]);
    return {
      token,
      wallet,
      spender,
      asRelayer: await viem.getContractAt("TestUSDC", token.address, { client: { wallet: relayer } }),
      asSpender: await viem.getContractAt("TestUSDC", token.address, { client: { wallet: spender } }),
      domain: tokenDomain(token.address, chainId),
    };
  }

  it("has the EIP-2612 type hash of the typed data the helper signs", async () => {
    const { token } = await networkHelpers.loadFixture(deployPermitFixture);
    assert.equal(await token.read.PERMIT_TYPEHASH(), typeHash(permitTypes, "Permit"));
  });

  for (const form of ["vrs", "bytes"] as const) {
    describe(`permit (${form})`, () => {
      const permitWith = (
        contract: Awaited<ReturnType<typeof deployPermitFixture>>["asRelayer"],
        permitOwner: Hex,
        spender: Hex,
        value: bigint,
        deadline: bigint,
        signature: Hex,
      ) => {
        if (form === "bytes") return contract.write.permit([permitOwner, spender, value, deadline, signature]);
        const { v, r, s } = splitSignature(signature);
        return contract.write.permit([permitOwner, spender, value, deadline, v, r, s]);
      };

      it("grants an allowance the spender can use, and bumps the nonce", async () => {
        const { token, asRelayer, asSpender, spender, domain } = await networkHelpers.loadFixture(deployPermitFixture);
        const message = {
          owner: owner.address,
          spender: spender.account.address,
          value: 5_000_000n,
          nonce: 0n,
          deadline: MAX_UINT256,
        };
        const signature = await signPermit(owner, domain, message);
        await viem.assertions.emitWithArgs(
          permitWith(asRelayer, owner.address, message.spender, message.value, message.deadline, signature),
          token,
          "Approval",
          [owner.address, getAddress(message.spender), message.value],
        );
        assert.equal(await token.read.nonces([owner.address]), 1n);
        await asSpender.write.transferFrom([owner.address, message.spender, 2_000_000n]);
        assert.equal(await token.read.allowance([owner.address, message.spender]), 3_000_000n);
        assert.equal(await token.read.balanceOf([message.spender]), 2_000_000n);
      });

      it("rejects an expired permit", async () => {
        const { asRelayer, spender, domain } = await networkHelpers.loadFixture(deployPermitFixture);
        const deadline = BigInt(await networkHelpers.time.latest()) - 1n;
        const message = { owner: owner.address, spender: spender.account.address, value: 1n, nonce: 0n, deadline };
        const signature = await signPermit(owner, domain, message);
        await viem.assertions.revertWithCustomErrorWithArgs(
          permitWith(asRelayer, owner.address, message.spender, 1n, deadline, signature),
          asRelayer,
          "ERC2612ExpiredSignature",
          [deadline],
        );
      });

      it("rejects a permit signed by another key", async () => {
        const { asRelayer, spender, domain } = await networkHelpers.loadFixture(deployPermitFixture);
        const message = {
          owner: owner.address,
          spender: spender.account.address,
          value: 1n,
          nonce: 0n,
          deadline: MAX_UINT256,
        };
        const signature = await signPermit(stranger, domain, message);
        await viem.assertions.revertWithCustomErrorWithArgs(
          permitWith(asRelayer, owner.address, message.spender, 1n, MAX_UINT256, signature),
          asRelayer,
          "ERC2612InvalidSigner",
          [stranger.address, owner.address],
        );
      });

      it("accepts an ERC-1271 wallet owner", async () => {
        const { token, wallet, asRelayer, spender, domain } = await networkHelpers.loadFixture(deployPermitFixture);
        const message = {
          owner: wallet.address,
          spender: spender.account.address,
          value: 9n,
          nonce: 0n,
          deadline: MAX_UINT256,
        };
        const signature = await signPermit(owner, domain, message);
        await permitWith(asRelayer, wallet.address, message.spender, 9n, MAX_UINT256, signature);
        assert.equal(await token.read.allowance([wallet.address, message.spender]), 9n);
      });
    });
  }

  it("rejects a permit for the zero-address spender", async () => {
    const { asRelayer, domain } = await networkHelpers.loadFixture(deployPermitFixture);
    const message = { owner: owner.address, spender: zeroAddress, value: 1n, nonce: 0n, deadline: MAX_UINT256 };
    const signature = await signPermit(owner, domain, message);
    await viem.assertions.revertWithCustomErrorWithArgs(
      asRelayer.write.permit([owner.address, zeroAddress, 1n, MAX_UINT256, signature]),
      asRelayer,
      "ERC20InvalidSpender",
      [zeroAddress],
    );
  });
});
