/**
 * On-chain: signatures made by @x402kit/signer are accepted by our `TestUSDC` and by Circle's FiatToken v2.2 bytecode
 * (as Base Sepolia USDC) on a Hardhat node, one parameterised suite,
 * through both overloads — `(v, r, s)` and `bytes signature` — for transfer, receive and cancel, from
 * a local key, a JSON-RPC wallet account, and an ERC-1271 contract wallet; what the token refuses,
 * `verifyAuthorizationSignature` and `splitSignature` refuse too; and the batch settlement router's fee
 * mode accepts a receive authorization whose nonce is `computeFeeCommitmentNonce`.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  batchSettlementRouterAbi,
  batchSettlementRouterBytecode,
  erc1271WalletMockAbi,
  erc1271WalletMockBytecode,
} from "@x402kit/bindings";
import { encodeFeeSettlementBatch } from "@x402kit/bindings/router";
import {
  type Address,
  ContractFunctionRevertedError,
  createWalletClient,
  type Hex,
  http,
  recoverTypedDataAddress,
  BaseError as ViemBaseError,
} from "viem";
import { toAccount } from "viem/accounts";
import {
  buildAuthorizationTypedData,
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
import {
  type DeployedToken,
  deployFiatTokenOn,
  startTestChain,
  type TestChain,
  TOKEN_NAME,
  TOKEN_VERSION,
} from "./helpers/chain.js";

const [payer, payee, other, relayer] = accounts as [
  (typeof accounts)[0],
  (typeof accounts)[0],
  (typeof accounts)[0],
  (typeof accounts)[0],
];

type Revert = [errorName: string, errorArgs: unknown[]];
type TokenErrors = {
  used: (authorizer: Address, nonce: Hex) => Revert;
  notPayee: (caller: Address, to: Address) => Revert;
  badSignature: (recovered: Address, authorizer: Address) => Revert;
  highS: (s: Hex) => Revert;
};

/** How TestUSDC reports the failures the suite provokes (custom error and arguments). */
const testUsdcErrors: TokenErrors = {
  used: (authorizer: Address, nonce: Hex): [string, unknown[]] => [
    "ERC3009AuthorizationUsedOrCanceled",
    [authorizer, nonce],
  ],
  notPayee: (caller: Address, to: Address): [string, unknown[]] => ["ERC3009CallerMustBePayee", [caller, to]],
  badSignature: (recovered: Address, authorizer: Address): [string, unknown[]] => [
    "ERC3009InvalidSignature",
    [recovered, authorizer],
  ],
  highS: (s: Hex): [string, unknown[]] => ["ERC3009InvalidSignatureS", [s]],
};

/** How FiatToken v2.2 reports them: its revert strings (`Error(string)`), which carry no values. */
const fiatTokenErrors: TokenErrors = {
  used: () => ["Error", ["FiatTokenV2: authorization is used or canceled"]],
  notPayee: () => ["Error", ["FiatTokenV2: caller must be the payee"]],
  badSignature: () => ["Error", ["FiatTokenV2: invalid signature"]],
  highS: () => ["Error", ["ECRecover: invalid signature 's' value"]],
};

let chain: TestChain;
let fiatToken: DeployedToken;
before(async () => {
  chain = await startTestChain();
  fiatToken = await deployFiatTokenOn(chain);
});

/** The tokens the suite runs on: our TestUSDC (the chain's) and FiatToken v2.2 deployed beside it. */
const TOKENS: Record<string, { token: () => DeployedToken; errors: TokenErrors }> = {
  TestUSDC: { token: () => chain.token, errors: testUsdcErrors },
  "FiatToken v2.2": { token: () => fiatToken, errors: fiatTokenErrors },
};
after(() => chain?.node.stop());

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const window = () => getValidityWindow({ maxTimeoutSeconds: 300 });
const args = (a: TransferAuthorization) => [a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce] as const;

for (const [kind, { token, errors }] of Object.entries(TOKENS)) {
  describe(`${kind} accepts @x402kit/signer authorizations`, () => {
    const domain = (): Eip3009Domain => ({
      name: TOKEN_NAME,
      version: TOKEN_VERSION,
      chainId: chain.chain.id,
      verifyingContract: token().address,
    });
    const read = (functionName: string, callArgs: readonly unknown[]) =>
      chain.publicClient.readContract({ address: token().address, abi: token().abi, functionName, args: callArgs });
    const balanceOf = async (owner: Address) => (await read("balanceOf", [owner])) as bigint;

    async function send(account: typeof relayer, functionName: string, callArgs: readonly unknown[]) {
      const client = chain.walletClient(account);
      const { request } = await client.simulateContract({
        address: token().address,
        abi: token().abi,
        functionName,
        args: callArgs,
        account,
      });
      const receipt = await client.waitForTransactionReceipt({ hash: await client.writeContract(request) });
      assert.equal(receipt.status, "success");
    }

    async function expectRevert(promise: Promise<unknown>, [errorName, errorArgs]: [string, unknown[]]) {
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

    for (const overload of ["v,r,s", "bytes"] as const) {
      const sig = (signature: Hex) => {
        const { v, r, s } = splitSignature({ signature });
        return overload === "bytes" ? [signature] : [v, r, s];
      };

      test(`transferWithAuthorization (${overload}) moves the funds and uses the nonce`, async () => {
        const { signature, authorization } = await signTransferWithAuthorization({
          signer: payer,
          domain: domain(),
          authorization: { to: payee.address, value: 1_234n, nonce: createNonce(), ...window() },
        });
        const before = [await balanceOf(payer.address), await balanceOf(payee.address)] as const;
        await send(relayer, "transferWithAuthorization", [...args(authorization), ...sig(signature)]);
        assert.equal(await balanceOf(payer.address), before[0] - 1_234n);
        assert.equal(await balanceOf(payee.address), before[1] + 1_234n);
        assert.equal(await read("authorizationState", [payer.address, authorization.nonce]), true);
        // Submitting the same authorization again reverts: the nonce is used.
        await expectRevert(
          send(relayer, "transferWithAuthorization", [...args(authorization), ...sig(signature)]),
          errors.used(payer.address, authorization.nonce),
        );
      });

      test(`receiveWithAuthorization (${overload}) with a fee-commitment nonce, only by the payee`, async () => {
        const nonce = computeFeeCommitmentNonce({
          chainId: chain.chain.id,
          router: payee.address,
          payTo: other.address,
          fee: 10n,
          feeRecipient: relayer.address,
          salt: createNonce(),
        });
        const { signature, authorization } = await signReceiveWithAuthorization({
          signer: payer,
          domain: domain(),
          authorization: { to: payee.address, value: 500n, nonce, ...window() },
        });
        const callArgs = [...args(authorization), ...sig(signature)];
        await expectRevert(
          send(relayer, "receiveWithAuthorization", callArgs),
          errors.notPayee(relayer.address, payee.address),
        );
        const before = await balanceOf(payee.address);
        await send(payee, "receiveWithAuthorization", callArgs);
        assert.equal(await balanceOf(payee.address), before + 500n);
      });

      test(`cancelAuthorization (${overload}) burns the nonce`, async () => {
        const nonce = createNonce();
        const { signature } = await signCancelAuthorization({
          signer: payer,
          domain: domain(),
          authorization: { nonce },
        });
        await send(relayer, "cancelAuthorization", [payer.address, nonce, ...sig(signature)]);
        assert.equal(await read("authorizationState", [payer.address, nonce]), true);
        const transfer = await signTransferWithAuthorization({
          signer: payer,
          domain: domain(),
          authorization: { to: payee.address, value: 1n, nonce, ...window() },
        });
        await expectRevert(
          send(relayer, "transferWithAuthorization", [...args(transfer.authorization), transfer.signature]),
          errors.used(payer.address, nonce),
        );
      });
    }

    test("a tampered authorization is refused on chain and by verifyAuthorizationSignature", async () => {
      const { signature, authorization } = await signTransferWithAuthorization({
        signer: payer,
        domain: domain(),
        authorization: { to: payee.address, value: 100n, nonce: createNonce(), ...window() },
      });
      const tampered = { ...authorization, value: 101n };
      const message = { primaryType: "TransferWithAuthorization", domain: domain(), message: tampered } as const;
      assert.equal(await verifyAuthorizationSignature({ ...message, signature }), false);
      const recovered = await recoverTypedDataAddress({ ...buildAuthorizationTypedData(message), signature });
      await expectRevert(
        send(relayer, "transferWithAuthorization", [...args(tampered), signature]),
        errors.badSignature(recovered, payer.address),
      );
    });

    test("the malleable (high-s) twin of a valid signature is refused, as splitSignature refuses it", async () => {
      const { signature, authorization } = await signTransferWithAuthorization({
        signer: payer,
        domain: domain(),
        authorization: { to: payee.address, value: 5n, nonce: createNonce(), ...window() },
      });
      const { r, s, yParity } = splitSignature({ signature });
      const highS = `0x${(SECP256K1_N - BigInt(s)).toString(16).padStart(64, "0")}` as Hex;
      const twin = `${r}${highS.slice(2)}${yParity === 0 ? "1c" : "1b"}` as Hex;
      assert.throws(() => splitSignature({ signature: twin }));
      await expectRevert(
        send(relayer, "transferWithAuthorization", [...args(authorization), yParity === 0 ? 28 : 27, r, highS]),
        errors.highS(highS),
      );
    });

    test("a WalletClient with a JSON-RPC account (eth_signTypedData_v4) signs what the token accepts", async () => {
      const rpcWallet = createWalletClient({
        account: other.address,
        chain: chain.chain,
        transport: http(chain.node.rpcUrl),
      });
      const authorization = { to: payee.address, value: 77n, nonce: createNonce(), ...window() };
      const viaRpc = await signTransferWithAuthorization({ signer: rpcWallet, domain: domain(), authorization });
      const viaKey = await signTransferWithAuthorization({ signer: other, domain: domain(), authorization });
      assert.equal(viaRpc.signature, viaKey.signature);
      await send(relayer, "transferWithAuthorization", [...args(viaRpc.authorization), viaRpc.signature]);
      assert.equal(await read("authorizationState", [other.address, authorization.nonce]), true);
    });

    test("the settlement router computes the same fee commitment and settles a fee-mode payment", async () => {
      const deployer = chain.walletClient(relayer);
      const hash = await deployer.deployContract({
        abi: batchSettlementRouterAbi,
        bytecode: batchSettlementRouterBytecode,
      });
      const router = (await chain.publicClient.waitForTransactionReceipt({ hash })).contractAddress as Address;
      const split = { payTo: other.address, fee: 25n, feeRecipient: relayer.address, salt: createNonce() };
      const nonce = computeFeeCommitmentNonce({ chainId: chain.chain.id, router, ...split });
      const onChain = await chain.publicClient.readContract({
        address: router,
        abi: batchSettlementRouterAbi,
        functionName: "feeCommitment",
        args: [split.payTo, split.fee, split.feeRecipient, split.salt],
      });
      assert.equal(onChain, nonce);

      const { signature, authorization } = await signReceiveWithAuthorization({
        signer: payer,
        domain: domain(),
        authorization: { to: router, value: 1_000n, nonce, ...window() },
      });
      const batch = encodeFeeSettlementBatch([{ ...authorization, token: token().address, ...split, signature }]);
      const before = [await balanceOf(other.address), await balanceOf(relayer.address)] as const;
      const { request, result } = await deployer.simulateContract({
        address: router,
        abi: batchSettlementRouterAbi,
        functionName: "settleWithFees",
        args: [batch, 150_000n],
      });
      assert.equal(result, "0x00", "the router settles the item");
      const receipt = await chain.publicClient.waitForTransactionReceipt({
        hash: await deployer.writeContract(request),
      });
      assert.equal(receipt.status, "success");
      assert.equal(await balanceOf(other.address), before[0] + 975n);
      assert.equal(await balanceOf(relayer.address), before[1] + 25n);
      assert.equal(await balanceOf(router), 0n);
    });

    test("an ERC-1271 contract wallet pays through the bytes overload and verifies through a client", async () => {
      const deployer = chain.walletClient(relayer);
      const deploy = async (refuseAll: boolean) => {
        const hash = await deployer.deployContract({
          abi: erc1271WalletMockAbi,
          bytecode: erc1271WalletMockBytecode,
          args: [payer.address, refuseAll],
        });
        return (await chain.publicClient.waitForTransactionReceipt({ hash })).contractAddress as Address;
      };
      const wallet = await deploy(false);
      const refusing = await deploy(true);
      // A "remote signer" account: the wallet's address, signatures produced by its owner key.
      const smartAccount = toAccount({
        address: wallet,
        signMessage: (message) => payer.signMessage(message),
        signTransaction: () => Promise.reject(new Error("not needed")),
        signTypedData: (typedData) => payer.signTypedData(typedData),
      });
      await send(other, "transfer", [wallet, 1_000n]);

      const signed = await signTransferWithAuthorization({
        signer: smartAccount,
        domain: domain(),
        authorization: { to: payee.address, value: 250n, nonce: createNonce(), ...window() },
      });
      const check = (client?: typeof chain.publicClient, message = signed.authorization) =>
        verifyAuthorizationSignature({
          primaryType: "TransferWithAuthorization",
          domain: domain(),
          message,
          signature: signed.signature,
          client,
        });
      assert.equal(await check(), false, "an ECDSA check alone cannot accept a contract wallet");
      assert.equal(await check(chain.publicClient), true);
      assert.equal(await check(chain.publicClient, { ...signed.authorization, from: refusing }), false);

      await send(relayer, "transferWithAuthorization", [...args(signed.authorization), signed.signature]);
      assert.equal(await balanceOf(wallet), 750n);
    });
  });
}
