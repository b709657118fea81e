/**
 * On-chain: signatures made by @x402kit/signer are accepted by an EIP-3009 token on a Hardhat node,
 * through both overloads — `(v, r, s)` and `bytes signature` — for transfer, receive and cancel, from
 * a local key, a JSON-RPC wallet account, and an ERC-1271 contract wallet.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  type Address,
  ContractFunctionRevertedError,
  createWalletClient,
  type Hex,
  http,
  BaseError as ViemBaseError,
} from "viem";
import { toAccount } from "viem/accounts";
import {
  computeFeeCommitmentNonce,
  createNonce,
  type Eip3009Domain,
  getValidityWindow,
  signCancelAuthorization,
  signReceiveWithAuthorization,
  signTransferWithAuthorization,
  splitSignature,
  type TransferAuthorization,
  verifyAuthorizationSignature,
} from "../src/index.js";
import { accounts } from "./constants.js";
import { readArtifact, startTestChain, type TestChain, TOKEN_NAME, TOKEN_VERSION } from "./helpers/chain.js";

const [payer, payee, other, relayer] = accounts as [
  (typeof accounts)[0],
  (typeof accounts)[0],
  (typeof accounts)[0],
  (typeof accounts)[0],
];

let chain: TestChain;
let domain: Eip3009Domain;
before(async () => {
  chain = await startTestChain();
  domain = {
    name: TOKEN_NAME,
    version: TOKEN_VERSION,
    chainId: chain.chain.id,
    verifyingContract: chain.token.address,
  };
});
after(() => chain?.node.stop());

const window = () => getValidityWindow({ maxTimeoutSeconds: 300 });
const args = (a: TransferAuthorization) => [a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce] as const;

async function send(account: typeof relayer, functionName: string, callArgs: readonly unknown[]) {
  const client = chain.walletClient(account);
  const { request } = await client.simulateContract({
    address: chain.token.address,
    abi: chain.token.abi,
    functionName,
    args: callArgs,
    account,
  });
  const receipt = await client.waitForTransactionReceipt({ hash: await client.writeContract(request) });
  assert.equal(receipt.status, "success");
}

async function expectRevert(promise: Promise<unknown>, errorName: string, errorArgs: readonly unknown[]) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ViemBaseError);
    const revert = error.walk(
      (e) => e instanceof ContractFunctionRevertedError,
    ) as ContractFunctionRevertedError | null;
    assert.equal(revert?.data?.errorName, errorName);
    assert.deepEqual(revert?.data?.args ?? [], errorArgs);
    return true;
  });
}

const authorizationState = (authorizer: Address, nonce: Hex) =>
  chain.publicClient.readContract({
    address: chain.token.address,
    abi: chain.token.abi,
    functionName: "authorizationState",
    args: [authorizer, nonce],
  });

describe("ERC3009TokenMock accepts @x402kit/signer authorizations", () => {
  for (const overload of ["v,r,s", "bytes"] as const) {
    test(`transferWithAuthorization (${overload}) moves the funds and uses the nonce`, async () => {
      const { signature, authorization } = await signTransferWithAuthorization({
        signer: payer,
        domain,
        authorization: { to: payee.address, value: 1_234n, nonce: createNonce(), ...window() },
      });
      const before = [await chain.balanceOf(payer.address), await chain.balanceOf(payee.address)] as const;
      const { v, r, s } = splitSignature({ signature });
      await send(relayer, "transferWithAuthorization", [
        ...args(authorization),
        ...(overload === "bytes" ? [signature] : [v, r, s]),
      ]);
      assert.equal(await chain.balanceOf(payer.address), before[0] - 1_234n);
      assert.equal(await chain.balanceOf(payee.address), before[1] + 1_234n);
      assert.equal(await authorizationState(payer.address, authorization.nonce), true);
      // A second submission of the same authorization reverts with the nonce already used.
      await expectRevert(
        send(relayer, "transferWithAuthorization", [...args(authorization), v, r, s]),
        "ERC3009UsedAuthorization",
        [payer.address, authorization.nonce],
      );
    });

    test(`receiveWithAuthorization (${overload}) with a fee-commitment nonce, submitted by the payee`, async () => {
      const nonce = computeFeeCommitmentNonce({
        payTo: other.address,
        fee: 10n,
        feeRecipient: relayer.address,
        salt: createNonce(),
      });
      const { signature, authorization } = await signReceiveWithAuthorization({
        signer: payer,
        domain,
        authorization: { to: payee.address, value: 500n, nonce, ...window() },
      });
      const { v, r, s } = splitSignature({ signature });
      const callArgs = [...args(authorization), ...(overload === "bytes" ? [signature] : [v, r, s])];
      // Only `to` may submit a receive authorization.
      await expectRevert(send(relayer, "receiveWithAuthorization", callArgs), "ERC20InvalidReceiver", [payee.address]);
      const before = await chain.balanceOf(payee.address);
      await send(payee, "receiveWithAuthorization", callArgs);
      assert.equal(await chain.balanceOf(payee.address), before + 500n);
    });

    test(`cancelAuthorization (${overload}) burns the nonce`, async () => {
      const nonce = createNonce();
      const { signature } = await signCancelAuthorization({ signer: payer, domain, authorization: { nonce } });
      const { v, r, s } = splitSignature({ signature });
      await send(relayer, "cancelAuthorization", [
        payer.address,
        nonce,
        ...(overload === "bytes" ? [signature] : [v, r, s]),
      ]);
      assert.equal(await authorizationState(payer.address, nonce), true);
      const transfer = await signTransferWithAuthorization({
        signer: payer,
        domain,
        authorization: { to: payee.address, value: 1n, nonce, ...window() },
      });
      await expectRevert(
        send(relayer, "transferWithAuthorization", [...args(transfer.authorization), transfer.signature]),
        "ERC3009UsedAuthorization",
        [payer.address, nonce],
      );
    });
  }

  test("a tampered authorization is refused on chain and by verifyAuthorizationSignature", async () => {
    const { signature, authorization } = await signTransferWithAuthorization({
      signer: payer,
      domain,
      authorization: { to: payee.address, value: 100n, nonce: createNonce(), ...window() },
    });
    const tampered = { ...authorization, value: 101n };
    assert.equal(
      await verifyAuthorizationSignature({
        primaryType: "TransferWithAuthorization",
        domain,
        message: tampered,
        signature,
      }),
      false,
    );
    await expectRevert(
      send(relayer, "transferWithAuthorization", [...args(tampered), signature]),
      "ERC3009InvalidSignature",
      [],
    );
  });
});

describe("signers other than a local key", () => {
  test("a WalletClient with a JSON-RPC account (eth_signTypedData_v4) signs what the token accepts", async () => {
    const rpcWallet = createWalletClient({
      account: other.address,
      chain: chain.chain,
      transport: http(chain.node.rpcUrl),
    });
    const authorization = { to: payee.address, value: 77n, nonce: createNonce(), ...window() };
    const viaRpc = await signTransferWithAuthorization({ signer: rpcWallet, domain, authorization });
    const viaKey = await signTransferWithAuthorization({ signer: other, domain, authorization });
    assert.equal(viaRpc.signature, viaKey.signature);
    await send(relayer, "transferWithAuthorization", [...args(viaRpc.authorization), viaRpc.signature]);
    assert.equal(await authorizationState(other.address, authorization.nonce), true);
  });

  test("an ERC-1271 contract wallet pays through the bytes overload and verifies through a client", async () => {
    const walletArtifact = readArtifact("contracts/mocks/ERC1271WalletMock.sol", "ERC1271WalletMock");
    const deployer = chain.walletClient(relayer);
    const deploy = async (refuseAll: boolean) => {
      const hash = await deployer.deployContract({
        abi: walletArtifact.abi,
        bytecode: walletArtifact.bytecode,
        args: [payer.address, refuseAll],
      });
      return (await chain.publicClient.waitForTransactionReceipt({ hash })).contractAddress as Address;
    };
    const wallet = await deploy(false);
    const refusing = await deploy(true);
    // A "remote signer" account: the wallet's address, signatures produced by its owner key.
    const smartAccount = (address: Address) =>
      toAccount({
        address,
        signMessage: (message) => payer.signMessage(message),
        signTransaction: () => Promise.reject(new Error("not needed")),
        signTypedData: (typedData) => payer.signTypedData(typedData),
      });
    await send(accounts[2]!, "transfer", [wallet, 1_000n]);

    const signed = await signTransferWithAuthorization({
      signer: smartAccount(wallet),
      domain,
      authorization: { to: payee.address, value: 250n, nonce: createNonce(), ...window() },
    });
    const check = (client?: typeof chain.publicClient, message = signed.authorization) =>
      verifyAuthorizationSignature({
        primaryType: "TransferWithAuthorization",
        domain,
        message,
        signature: signed.signature,
        client,
      });
    assert.equal(await check(), false, "an ECDSA check alone cannot accept a contract wallet");
    assert.equal(await check(chain.publicClient), true);
    assert.equal(await check(chain.publicClient, { ...signed.authorization, from: refusing }), false);

    await send(relayer, "transferWithAuthorization", [...args(signed.authorization), signed.signature]);
    assert.equal(await chain.balanceOf(wallet), 750n);
  });
});
