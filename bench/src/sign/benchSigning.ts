import { x402Client } from "@x402/core/client";
import type { PaymentRequired, PaymentRequirements } from "@x402/core/types";
import { ExactEvmScheme, registerExactEvmScheme } from "@x402/evm/exact/client";
import { createNonce, createPaymentPayload, signTransferWithAuthorization } from "@x402kit/signer";
import { keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { TOKEN_NAME, TOKEN_VERSION } from "../chain/setupChain.js";
import { describeMachine, type Machine } from "../machine.js";
import { median, ratio, round } from "../stats.js";

/** Parameters of the signing benchmark. */
export type SigningParameters = { rounds: number; iterations: number };

/** Median authorizations signed per second of each case. */
export type SigningCase = { perSecond: number; rounds: number[] };

/** `bench/results/signing.json`. */
export type SigningResults = {
  description: string;
  machine: Machine;
  parameters: SigningParameters;
  cases: {
    /** `createPaymentPayload` from a v2 PaymentRequired (validate, select, sign). */
    oursPayload: SigningCase;
    /** `x402Client.createPaymentPayload` from the same PaymentRequired. */
    officialPayload: SigningCase;
    /** `signTransferWithAuthorization`: the EIP-3009 signature alone. */
    oursAuthorization: SigningCase;
    /** `ExactEvmScheme.createPaymentPayload(2, requirements)`: the scheme's authorization alone. */
    officialAuthorization: SigningCase;
    /** viem `signTypedData` of the same message: the floor both sit on. */
    viemSignTypedData: SigningCase;
  };
  /** Ours / official: the median of the per-round ratios. */
  ratios: { payload: number | null; authorization: number | null };
};

/** The median of the per-round ratios: each pair ran back to back, so a neighbour's burst hits both. */
function pairedRatio(ours: readonly number[], official: readonly number[]): number | null {
  const ratios = ours.flatMap((o, i) => {
    const r = ratio(o, official[i], 4);
    return r === null ? [] : [r];
  });
  return ratios.length === 0 ? null : round(median(ratios), 2);
}

/**
 * Authorizations signed per second, ours (`@x402kit/signer`) vs the official client (`@x402/evm`'s
 * `exact` scheme, alone and through `@x402/core`'s `x402Client`), in interleaved rounds so that a
 * neighbour's burst on a shared machine hits every case alike; each case reports its median round.
 *
 * @param parameters - {@link SigningParameters}
 * @param log - Progress output.
 */
export async function benchSigning(
  parameters: SigningParameters,
  log: (line: string) => void,
): Promise<SigningResults> {
  const machine = describeMachine();
  const account = privateKeyToAccount(keccak256(toHex("x402kit-bench-signer")));
  const token = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
  const payTo = "0x000000000000000000000000000000000000dEaD";
  const requirements = {
    scheme: "exact",
    network: "eip155:31337",
    amount: "1000",
    asset: token,
    payTo,
    maxTimeoutSeconds: 300,
    extra: { name: TOKEN_NAME, version: TOKEN_VERSION },
  };
  const paymentRequired = {
    x402Version: 2 as const,
    resource: { url: "http://127.0.0.1/bench", description: "x402kit bench", mimeType: "application/json" },
    accepts: [requirements],
  };
  const domain = { name: TOKEN_NAME, version: TOKEN_VERSION, chainId: 31337, verifyingContract: token } as const;
  const now = BigInt(Math.floor(Date.now() / 1000));

  const officialClient = new x402Client();
  registerExactEvmScheme(officialClient, { signer: account });
  officialClient.setSpendControls({ allowedAssets: true });
  const officialScheme = new ExactEvmScheme(account);

  const cases: Record<keyof SigningResults["cases"], () => Promise<unknown>> = {
    oursPayload: () => createPaymentPayload({ signer: account, paymentRequired }),
    officialPayload: () => officialClient.createPaymentPayload(paymentRequired as PaymentRequired),
    oursAuthorization: () =>
      signTransferWithAuthorization({
        signer: account,
        domain,
        authorization: {
          to: payTo,
          value: 1000n,
          validAfter: now - 600n,
          validBefore: now + 300n,
          nonce: createNonce(),
        },
      }),
    officialAuthorization: () => officialScheme.createPaymentPayload(2, requirements as unknown as PaymentRequirements),
    viemSignTypedData: () =>
      account.signTypedData({
        domain,
        types: {
          TransferWithAuthorization: [
            { name: "from", type: "address" },
            { name: "to", type: "address" },
            { name: "value", type: "uint256" },
            { name: "validAfter", type: "uint256" },
            { name: "validBefore", type: "uint256" },
            { name: "nonce", type: "bytes32" },
          ],
        },
        primaryType: "TransferWithAuthorization",
        message: {
          from: account.address,
          to: payTo,
          value: 1000n,
          validAfter: now - 600n,
          validBefore: now + 300n,
          nonce: createNonce(),
        },
      }),
  };

  const rounds = Object.fromEntries(Object.keys(cases).map((k) => [k, [] as number[]])) as Record<
    keyof typeof cases,
    number[]
  >;
  for (const run of Object.values(cases)) for (let i = 0; i < 50; i++) await run(); // warm-up (JIT)
  for (let r = 0; r < parameters.rounds; r++) {
    for (const [name, run] of Object.entries(cases) as [keyof typeof cases, () => Promise<unknown>][]) {
      const started = performance.now();
      for (let i = 0; i < parameters.iterations; i++) await run();
      rounds[name].push(round(parameters.iterations / ((performance.now() - started) / 1000), 1));
    }
    log(`  signing round ${r + 1}/${parameters.rounds}`);
  }
  const summary = (name: keyof typeof cases): SigningCase => ({
    perSecond: round(median(rounds[name]), 1),
    rounds: rounds[name],
  });
  const results = {
    oursPayload: summary("oursPayload"),
    officialPayload: summary("officialPayload"),
    oursAuthorization: summary("oursAuthorization"),
    officialAuthorization: summary("officialAuthorization"),
    viemSignTypedData: summary("viemSignTypedData"),
  };
  return {
    description:
      "EIP-3009 authorizations signed per second on one core: @x402kit/signer vs @x402/evm's exact client (alone and " +
      "through @x402/core's x402Client), with viem's signTypedData as the floor; interleaved rounds, median. " +
      "Generated by `pnpm bench sign`; see docs/benchmarks.md.",
    machine,
    parameters,
    cases: results,
    ratios: {
      payload: pairedRatio(rounds.oursPayload, rounds.officialPayload),
      authorization: pairedRatio(rounds.oursAuthorization, rounds.officialAuthorization),
    },
  };
}
