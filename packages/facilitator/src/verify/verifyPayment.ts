import { ExactEvmPayload } from "@x402kit/signer/wire";
import { type Address, getAddress, type Hex, isAddress } from "viem";
import { verifyHash } from "viem/actions";
import { authorizationDigest } from "../chain/authorizationDigest.js";
import { ERC1271_MAGIC_VALUE, eip3009Abi, erc1271Abi } from "../chain/eip3009Abi.js";
import { signatureParts, type WalletDeployment } from "../chain/erc6492.js";
import { isTransportError } from "../chain/isTransportError.js";
import { findNetwork, type NetworkRuntime } from "../chain/networkRuntime.js";
import { recoverAuthorizer, splitSignature } from "../chain/recoverAuthorizer.js";
import { readTokenState } from "../chain/tokenControls.js";
import { withRpc } from "../chain/withRpc.js";
import type { Clock } from "../domain/clock.js";
import { Reason } from "../domain/reasons.js";
import type { ExactPayment, PaymentRequest } from "../domain/types.js";
import { directCall, needsWalletDeployment } from "../modes/encodeDirectTransfer.js";
import type { SignatureCache } from "./signatureCache.js";

/** How verification reads the chain after the local checks. */
export type ChainCheckMode =
  /** `balanceOf(from)` and `authorizationState(from, nonce)`, in one JSON-RPC batch (default). */
  | "state"
  /** An `eth_call` of `transferWithAuthorization`, diagnosed on revert. */
  | "simulate"
  /** No chain reads beyond what the signature needs (settlement still re-checks). */
  | "none";

/** What {@link verifyPayment} needs. */
export type VerifyContext = {
  networks: readonly NetworkRuntime[];
  clock: Clock;
  signatures: SignatureCache;
  /** Minimum seconds between now and `validBefore` (the official value is 6, about 3 Base blocks). */
  validBeforeBufferSeconds: number;
  chainCheck: ChainCheckMode;
  /** Address used as `msg.sender` of simulations (a facilitator signer). */
  simulationSender: (network: NetworkRuntime) => Address | undefined;
};

/** Result of {@link verifyPayment}. */
export type VerifyResult =
  | { isValid: true; payer: Address; payment: ExactPayment; network: NetworkRuntime }
  | { isValid: false; payer: Address | undefined; reason: Reason; message: string };

const invalid = (reason: Reason, message: string, payer?: Address): VerifyResult => ({
  isValid: false,
  payer,
  reason,
  message,
});

/** Result of {@link parsePayment}. */
export type ParseResult =
  | { ok: true; payment: ExactPayment; network: NetworkRuntime }
  | { ok: false; payer: Address | undefined; reason: Reason; message: string };

/**
 * Verifies an `exact` EIP-3009 payment, in the official order of checks, stopping at the first failure:
 * scheme, network, `extra` name/version, allowlists, payload shape ({@link parsePayment}), then
 * signature (EOA by local recovery, ERC-1271 by `eth_call`), recipient, `validBefore >= now + buffer`,
 * `validAfter <= now`, exact amount, and the chain: balance and nonce, or a simulation
 * ({@link checkPayment}).
 *
 * Business failures are returned as data. An unreachable RPC throws {@link RpcUnavailableError}, so a
 * caller never reports a fault as an invalid payment.
 *
 * @param context - Networks, clock, caches and policy.
 * @param request - The payment, normalized from a v1 or v2 wire request.
 * @returns `{ isValid: true, payment }` or `{ isValid: false, reason, message }`, with `payer` when known.
 */
export async function verifyPayment(context: VerifyContext, request: PaymentRequest): Promise<VerifyResult> {
  const parsed = parsePayment(context, request);
  if (!parsed.ok) return { isValid: false, payer: parsed.payer, reason: parsed.reason, message: parsed.message };
  return checkPayment(context, parsed.payment, parsed.network);
}

/**
 * The checks that need no chain: scheme, network, requirements, allowlists and payload shape. Their
 * result is the payment's idempotency key, so settle runs them before looking the payment up.
 *
 * @param context - Networks and policy.
 * @param request - The normalized request.
 * @returns The typed payment and its network, or why the request is not a payment we can settle.
 */
export function parsePayment(context: Pick<VerifyContext, "networks">, request: PaymentRequest): ParseResult {
  const payer = payerOf(request.payload);
  const fail = (reason: Reason, message: string): ParseResult => ({ ok: false, payer, reason, message });

  // 1. Scheme.
  if (request.payloadScheme !== "exact" || request.scheme !== "exact") {
    return fail(
      Reason.unsupportedScheme,
      `scheme "${request.scheme}" is not supported; this facilitator settles "exact"`,
    );
  }
  // 2. Network: the payload and the requirements agree, and the network is configured here.
  if (request.payloadNetwork !== request.network) {
    return fail(
      Reason.invalidNetwork,
      `payload network "${request.payloadNetwork}" differs from requirements network "${request.network}"`,
    );
  }
  const network = findNetwork(context.networks, request.network);
  if (!network) return fail(Reason.invalidNetwork, `network "${request.network}" is not supported here`);

  // 3. Requirements: the token's EIP-712 domain and well-formed asset, payee and amount.
  const name = request.extra?.name;
  const version = request.extra?.version;
  if (typeof name !== "string" || name === "" || typeof version !== "string" || version === "") {
    return fail(
      Reason.invalidPaymentRequirements,
      "requirements.extra must carry the token's EIP-712 domain as { name, version }",
    );
  }
  if (!isAddress(request.asset, { strict: false })) {
    return fail(Reason.invalidPaymentRequirements, "requirements.asset is not an address");
  }
  if (!isAddress(request.payTo, { strict: false })) {
    return fail(Reason.invalidPaymentRequirements, "requirements.payTo is not an address");
  }
  if (!/^\d{1,78}$/.test(request.amount) || BigInt(request.amount) >= 2n ** 256n) {
    return fail(Reason.invalidPaymentRequirements, "the required amount is not an unsigned 256-bit integer");
  }
  const asset = getAddress(request.asset);
  const payTo = getAddress(request.payTo);
  const amount = BigInt(request.amount);

  // Allowlists (gas-drain protection): only assets and payees this operator agreed to pay gas for.
  if (network.assets && !network.assets.has(asset.toLowerCase())) {
    return fail(Reason.notAllowed, `asset ${asset} is not accepted by this facilitator`);
  }
  if (network.payees && !network.payees.has(payTo.toLowerCase())) {
    return fail(Reason.notAllowed, `payee ${payTo} is not accepted by this facilitator`);
  }

  // 4. Payload shape.
  const parsed = ExactEvmPayload.safeParse(request.payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `payload.${issue.path.join(".")}` : "payload";
    return fail(Reason.invalidPayload, `${where}: ${issue?.message ?? "not an EIP-3009 authorization"}`);
  }
  const raw = parsed.data;
  const payment: ExactPayment = {
    x402Version: request.x402Version,
    network: request.network,
    caip2: network.caip2,
    chainId: network.chainId,
    asset,
    payTo,
    amount,
    domain: { name, version },
    authorization: {
      from: getAddress(raw.authorization.from),
      to: getAddress(raw.authorization.to),
      value: BigInt(raw.authorization.value),
      validAfter: BigInt(raw.authorization.validAfter),
      validBefore: BigInt(raw.authorization.validBefore),
      nonce: raw.authorization.nonce.toLowerCase() as Hex,
    },
    signature: raw.signature.toLowerCase() as Hex,
  };
  return { ok: true, payment, network };
}

/**
 * The checks of a parsed payment: signature, recipient, validity window, exact amount, then the chain.
 *
 * @param context - Clock, caches and policy.
 * @param payment - A payment from {@link parsePayment}.
 * @param network - Its network.
 * @param options - `chainCheck` overrides the context's mode.
 * @returns Whether the payment can be settled now.
 */
export async function checkPayment(
  context: VerifyContext,
  payment: ExactPayment,
  network: NetworkRuntime,
  options: { chainCheck?: ChainCheckMode } = {},
): Promise<VerifyResult> {
  const { authorization, payTo, amount } = payment;
  const from = authorization.from;

  // 5. Signature.
  const signature = await checkSignature(context, network, payment);
  if ("failure" in signature) return invalid(signature.failure.reason, signature.failure.message, from);

  // 6. Recipient.
  if (authorization.to !== payTo) {
    return invalid(Reason.recipientMismatch, `authorization.to ${authorization.to} is not payTo ${payTo}`, from);
  }
  // 7–8. Validity window.
  const now = BigInt(Math.floor(context.clock.now() / 1000));
  if (authorization.validBefore < now + BigInt(context.validBeforeBufferSeconds)) {
    return invalid(
      Reason.validBefore,
      `authorization expires at ${authorization.validBefore}, less than ${context.validBeforeBufferSeconds} s from now (${now})`,
      from,
    );
  }
  if (authorization.validAfter > now) {
    return invalid(
      Reason.validAfter,
      `authorization is valid only after ${authorization.validAfter} (now ${now})`,
      from,
    );
  }
  // 9. Exact amount.
  if (authorization.value !== amount) {
    return invalid(
      Reason.valueMismatch,
      `authorization.value ${authorization.value} differs from the required amount ${amount}`,
      from,
    );
  }

  // 10. Chain.
  const mode = options.chainCheck ?? context.chainCheck;
  const chainResult = await checkChain(context, network, payment, mode, signature.by);
  if (chainResult) return invalid(chainResult.reason, chainResult.message, from);

  return { isValid: true, payer: from, payment, network };
}

/** Best-effort `authorization.from` of an untrusted payload, for `payer` in failure answers. */
function payerOf(payload: unknown): Address | undefined {
  const from = (payload as { authorization?: { from?: unknown } } | null)?.authorization?.from;
  return typeof from === "string" && isAddress(from, { strict: false }) ? getAddress(from) : undefined;
}

/**
 * Why a payment cannot settle now. `transient`: the token's own controls (paused, a blacklisted party) refuse it
 * today but may not tomorrow: a reason to refuse a payment not yet admitted, never to fail one already admitted.
 */
type Failure = { reason: Reason; message: string; transient?: true } | undefined;

/** How the signature was found valid (an ECDSA signature by `from`, or `from`'s wallet by ERC-1271), or why not. */
type SignatureCheck = { failure: NonNullable<Failure> } | { by: SignedBy };

/** How a valid signature was found valid: ECDSA by `from`, `from`'s ERC-1271, or a counterfactual wallet's ERC-6492. */
type SignedBy = "ecdsa" | "erc1271" | "erc6492";

async function checkSignature(
  context: VerifyContext,
  network: NetworkRuntime,
  payment: ExactPayment,
): Promise<SignatureCheck> {
  const { authorization } = payment;
  const digest = authorizationDigest(
    { ...payment.domain, chainId: payment.chainId, verifyingContract: payment.asset },
    authorization,
  );
  // An ERC-6492 wrapper: the wallet judges the inner signature; a factory call may come with it.
  const { signature, deployment } = signatureParts(payment.signature);
  if (deployment) {
    const code = await withRpc(network, () => network.client.getCode({ address: authorization.from }));
    if (!code || code === "0x") return checkCounterfactual(network, payment, digest, deployment);
    if (await erc1271Accepts(network, authorization.from, digest, signature)) return { by: "erc1271" };
    return {
      failure: {
        reason: Reason.invalidSignature,
        message: `the wallet ${authorization.from} rejected the signature (ERC-1271)`,
      },
    };
  }
  const split = splitSignature(signature);
  if (split) {
    const cached = context.signatures.get(digest, signature);
    const recovered = cached ?? (await recoverAuthorizer(digest, split));
    if (recovered && !cached) context.signatures.set(digest, signature, recovered);
    if (recovered === authorization.from) return { by: "ecdsa" };
  }
  // Not an EOA signature of `from`: it may be a smart wallet (ERC-1271), which the token checks when
  // `from` has code. Ask the chain.
  const code = await withRpc(network, () => network.client.getCode({ address: authorization.from }));
  if (!code || code === "0x") {
    if (signature.length !== 132) {
      return {
        failure: {
          reason: Reason.undeployedSmartWallet,
          message: `${authorization.from} has no code, and the signature is no ECDSA signature of it nor an ERC-6492 one naming a factory`,
        },
      };
    }
    return {
      failure: { reason: Reason.invalidSignature, message: `the signature was not made by ${authorization.from}` },
    };
  }
  if (!(await erc1271Accepts(network, authorization.from, digest, signature))) {
    return {
      failure: {
        reason: Reason.invalidSignature,
        message: `the wallet ${authorization.from} rejected the signature (ERC-1271)`,
      },
    };
  }
  return { by: "erc1271" };
}

/**
 * A counterfactual wallet (ERC-6492, not deployed yet): refused unless its factory is on the network's allowlist
 * (closed by default, as the official facilitator's `eip6492AllowedFactories`), then checked with the ERC-6492
 * universal validator in an `eth_call` (the wallet is deployed inside the call, then asked for ERC-1271).
 */
async function checkCounterfactual(
  network: NetworkRuntime,
  payment: ExactPayment,
  digest: Hex,
  deployment: WalletDeployment,
): Promise<SignatureCheck> {
  const from = payment.authorization.from;
  if (!network.walletFactories?.has(deployment.factory.toLowerCase())) {
    return {
      failure: {
        reason: Reason.factoryNotAllowed,
        message: `${from} is not deployed, and its ERC-6492 factory ${deployment.factory} is not on this facilitator's walletFactories allowlist`,
      },
    };
  }
  const valid = await withRpc(network, () =>
    verifyHash(network.client, { address: from, hash: digest, signature: payment.signature }).catch(
      (error: unknown) => {
        if (isTransportError(error)) throw error;
        return false;
      },
    ),
  );
  if (valid) return { by: "erc6492" };
  // The official facilitator learns it from its simulation (deploy, then transfer), and answers so.
  return {
    failure: {
      reason: Reason.simulationFailed,
      message: `the counterfactual wallet ${from} (factory ${deployment.factory}) rejects the signature (ERC-6492 universal validator)`,
    },
  };
}

/** Whether the contract at `address` answers ERC-1271's magic value for (`digest`, `signature`). */
async function erc1271Accepts(network: NetworkRuntime, address: Address, digest: Hex, signature: Hex) {
  const magic = await withRpc(network, () =>
    network.client
      .readContract({ address, abi: erc1271Abi, functionName: "isValidSignature", args: [digest, signature] })
      .catch((error: unknown) => {
        if (isTransportError(error)) throw error;
        return undefined;
      }),
  );
  return magic?.toLowerCase() === ERC1271_MAGIC_VALUE;
}

/**
 * An ECDSA signature by `from` where `from` has code (an EIP-7702 delegation): the official facilitator (viem's
 * `verifyTypedData`) then takes the account's ERC-1271 answer, as tokens that read the signer's code before ECDSA
 * do (FiatToken v2.2); so does this check. `undefined` when `from` has no code or its code accepts.
 */
async function delegatedSignature(
  network: NetworkRuntime,
  payment: ExactPayment,
  code: Hex | undefined,
): Promise<Failure> {
  if (!code || code === "0x") return undefined;
  const digest = authorizationDigest(
    { ...payment.domain, chainId: payment.chainId, verifyingContract: payment.asset },
    payment.authorization,
  );
  if (await erc1271Accepts(network, payment.authorization.from, digest, payment.signature)) return undefined;
  const from = payment.authorization.from;
  const holder = isEip7702Delegation(code)
    ? `the EIP-7702 delegate 0x${code.slice(8)} of ${from}`
    : `the code at ${from}`;
  return {
    reason: Reason.invalidSignature,
    message: `${from} signed with its key, but ${holder} refuses the signature (ERC-1271)`,
  };
}

/**
 * Whether `code` is an EIP-7702 delegation designator (`0xef0100` + the delegate's address): an EOA that delegates
 * its code to a contract. It still signs with its key, but a token that checks the signer's code before ECDSA
 * (FiatToken v2.2's SignatureChecker, OpenZeppelin 5's) asks its delegate's ERC-1271 instead.
 *
 * @param code - The account's code.
 */
export function isEip7702Delegation(code: Hex | undefined): boolean {
  return code !== undefined && code.length === 48 && code.toLowerCase().startsWith("0xef0100");
}

/**
 * Whether `transferWithAuthorization` of `payment` reverts in an `eth_call` from the facilitator's sender (for a
 * counterfactual wallet, the one call that deploys it and then transfers, through Multicall3, as settled).
 */
async function simulationReverts(context: VerifyContext, network: NetworkRuntime, payment: ExactPayment) {
  const sender = context.simulationSender(network);
  if (needsWalletDeployment(payment)) {
    const call = directCall(payment);
    return withRpc(network, () =>
      network.client
        .call({ to: call.to, data: call.data, ...(sender ? { account: sender } : {}) })
        .then(() => false)
        .catch((error: unknown) => {
          if (isTransportError(error)) throw error;
          return true;
        }),
    );
  }
  return withRpc(network, () =>
    network.client
      .simulateContract(simulationCall(payment, sender))
      .then(() => false)
      .catch((error: unknown) => {
        if (isTransportError(error)) throw error;
        return true;
      }),
  );
}

async function checkChain(
  context: VerifyContext,
  network: NetworkRuntime,
  payment: ExactPayment,
  mode: ChainCheckMode,
  signedBy: SignedBy,
): Promise<Failure> {
  if (mode === "none") return undefined;
  // An ECDSA signature by `from` is `from`'s unless `from` has code (an EIP-7702 delegation): that code is read
  // beside the rest, in the same JSON-RPC batch, and asked only when there is some.
  const code = () =>
    signedBy === "ecdsa"
      ? withRpc(network, () => network.client.getCode({ address: payment.authorization.from }))
      : Promise.resolve(undefined);
  if (mode === "simulate") {
    const [reverted, payerCode] = await Promise.all([simulationReverts(context, network, payment), code()]);
    const refused = await delegatedSignature(network, payment, payerCode);
    if (refused) return refused;
    if (!reverted) return undefined;
    return (
      (await diagnose(network, payment)) ?? {
        reason: Reason.simulationFailed,
        message: "a simulation of transferWithAuthorization reverted",
      }
    );
  }
  const [failure, payerCode] = await Promise.all([diagnose(network, payment, { stateOnly: true }), code()]);
  return (await delegatedSignature(network, payment, payerCode)) ?? failure;
}

/**
 * Reads the token state that explains why a transfer would fail, in the official order:
 * `authorizationState`, then (diagnosis only) the validity window against the chain's clock, `name`,
 * `version`, then the balance. Used for the `state` check and to diagnose a
 * reverted simulation.
 */
export async function diagnose(
  network: NetworkRuntime,
  payment: ExactPayment,
  options: { stateOnly?: boolean } = {},
): Promise<Failure> {
  const { asset, authorization } = payment;
  // One eth_call for the token's whole answer; the clock of the chain beside it in the same JSON-RPC batch.
  const [state, block] = await withRpc(network, () =>
    Promise.all([
      readTokenState(
        network,
        { asset, from: authorization.from, to: authorization.to, nonce: authorization.nonce },
        { domain: !options.stateOnly },
      ),
      options.stateOnly ? Promise.resolve(undefined) : network.client.getBlock({ blockTag: "latest" }),
    ]),
  );
  const { used, balance, name, version } = state;
  const controls = state;
  if (!used.ok) {
    return { reason: Reason.eip3009NotSupported, message: `${asset} does not implement EIP-3009 authorizationState` };
  }
  if (used.value) {
    return {
      reason: Reason.nonceAlreadyUsed,
      message: `authorization nonce ${authorization.nonce} of ${authorization.from} is already used or canceled`,
    };
  }
  // What the token itself would refuse first (FiatToken's modifiers: not paused, payer then payee not blacklisted).
  // The official facilitator learns it from a reverted simulation, and answers so; so do we, saying which.
  if (controls.paused) {
    return {
      reason: Reason.simulationFailed,
      message: `the token ${asset} is paused ("Pausable: paused")`,
      transient: true,
    };
  }
  if (controls.blockedFrom || controls.blockedTo) {
    const who = controls.blockedFrom ? `the payer ${authorization.from}` : `the payee ${authorization.to}`;
    return {
      reason: Reason.simulationFailed,
      message: `${who} is blacklisted by the token ${asset} ("Blacklistable: account is blacklisted")`,
      transient: true,
    };
  }
  // The token compares against the clock of the block that includes the transfer (the next one at
  // the earliest), which may run ahead of or behind ours.
  const next = block ? block.timestamp + 1n : undefined;
  if (next !== undefined && authorization.validBefore <= next) {
    return {
      reason: Reason.validBefore,
      message: `authorization expires at ${authorization.validBefore}, not after the next block (chain time ${block?.timestamp})`,
    };
  }
  if (next !== undefined && authorization.validAfter >= next) {
    return {
      reason: Reason.validAfter,
      message: `authorization is valid only after ${authorization.validAfter} (chain time ${block?.timestamp})`,
    };
  }
  if (name?.ok && name.value !== payment.domain.name) {
    return { reason: Reason.tokenNameMismatch, message: `token name is "${name.value}", not "${payment.domain.name}"` };
  }
  if (version?.ok && version.value !== payment.domain.version) {
    return {
      reason: Reason.tokenVersionMismatch,
      message: `token version is "${version.value}", not "${payment.domain.version}"`,
    };
  }
  if (!balance.ok) return { reason: Reason.eip3009NotSupported, message: `${asset} has no balanceOf` };
  if (balance.value < authorization.value) {
    return {
      reason: Reason.insufficientFunds,
      message: `balance ${balance.value} of ${authorization.from} is below ${authorization.value}`,
    };
  }
  return undefined;
}

/** The `simulateContract` parameters of a payment's `transferWithAuthorization`. */
function simulationCall(payment: ExactPayment, sender: Address | undefined) {
  const a = payment.authorization;
  const split = splitSignature(payment.signature);
  const common = [a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce] as const;
  return {
    address: payment.asset,
    abi: eip3009Abi,
    functionName: "transferWithAuthorization" as const,
    args: split ? ([...common, split.v, split.r, split.s] as const) : ([...common, payment.signature] as const),
    ...(sender ? { account: sender } : {}),
  } as Parameters<NetworkRuntime["client"]["simulateContract"]>[0];
}
