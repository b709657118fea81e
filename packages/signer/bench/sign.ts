/**
 * Signing throughput of @x402kit/signer on this machine (one core). Run: `pnpm --filter @x402kit/signer bench`.
 * Numbers are printed, never asserted.
 */
import { performance } from "node:perf_hooks";
import {
  createNonce,
  createPaymentPayload,
  hashAuthorization,
  signTransferWithAuthorization,
  verifyAuthorizationSignature,
} from "../src/index.js";
import { decodePaymentSignatureHeader, encodePaymentSignatureHeader } from "../src/wire/index.js";
import { buildPaymentRequiredV2, payee, payer } from "../test/constants.js";

const domain = {
  name: "USDC",
  version: "2",
  chainId: 84532,
  verifyingContract: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
} as const;
const message = {
  from: payer.address,
  to: payee.address,
  value: 10_000n,
  validAfter: 1_700_000_000n,
  validBefore: 4_000_000_000n,
  nonce: createNonce(),
};

async function bench(name: string, iterations: number, fn: () => unknown | Promise<unknown>): Promise<void> {
  for (let i = 0; i < Math.min(50, iterations); i++) await fn(); // warm-up
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `${name.padEnd(44)} ${String(Math.round(iterations / seconds)).padStart(7)} ops/s  (${iterations} in ${seconds.toFixed(2)} s)`,
  );
}

const { signature } = await signTransferWithAuthorization({ signer: payer, domain, authorization: message });
const paymentRequired = buildPaymentRequiredV2();
const { paymentPayload } = await createPaymentPayload({ signer: payer, paymentRequired });
const header = encodePaymentSignatureHeader({ paymentPayload });

await bench("hashAuthorization", 5000, () =>
  hashAuthorization({ primaryType: "TransferWithAuthorization", domain, message }),
);
await bench("signTransferWithAuthorization", 1000, () =>
  signTransferWithAuthorization({ signer: payer, domain, authorization: { ...message, nonce: createNonce() } }),
);
await bench("createPaymentPayload (v2, validate + sign)", 1000, () =>
  createPaymentPayload({ signer: payer, paymentRequired }),
);
await bench("verifyAuthorizationSignature (EOA recover)", 500, () =>
  verifyAuthorizationSignature({ primaryType: "TransferWithAuthorization", domain, message, signature }),
);
await bench("encode + decode PAYMENT-SIGNATURE", 5000, () =>
  decodePaymentSignatureHeader({ value: encodePaymentSignatureHeader({ paymentPayload }) }),
);
await bench("decodePaymentSignatureHeader", 5000, () => decodePaymentSignatureHeader({ value: header }));
