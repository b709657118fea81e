/**
 * The Permit2 schemes of this facilitator: `exact` with `extra.assetTransferMethod: "permit2"` (payload
 * `permit2Authorization` + `signature`) and `upto`, answered as `@x402/evm` 2.27's exact and upto facilitators answer
 * (same checks in the same order, same reasons), settled through x402kit's `X402ExactPermit2Proxy` /
 * `X402UptoPermit2Proxy` at the official addresses, every settle journaled and sent once per Permit2 nonce.
 *
 * A payment's life, file by file: `verifyPermit2.ts` (the checks; `verifyPermit2Signature.ts`, `simulateSettle.ts`)
 * → `settlePermit2.ts` (`shared/sendIntent.ts` with the key of `idempotencyKey.ts`, the call of `proxies.ts`).
 */
import type { Logger } from "pino";
import type { NetworkRuntime } from "../../chain/networkRuntime.js";
import type { Clock } from "../../domain/clock.js";
import { type IntentSender, rebroadcastSubmitted } from "../shared/sendIntent.js";
import type { SchemeSettleResponse, SchemeVerifyResponse } from "../shared/types.js";
import type { Permit2SchemeName } from "./proxies.js";
import { permit2Reasons as R } from "./reasons.js";
import { Permit2Payload, Permit2Requirements } from "./schemas.js";
import { settlePermit2 } from "./settlePermit2.js";
import { verifyPermit2 } from "./verifyPermit2.js";

export const UPTO_SCHEME = "upto";

type Body = { paymentPayload: unknown; paymentRequirements: unknown };

export type Permit2Scheme = {
  verify(body: Body): Promise<SchemeVerifyResponse>;
  settle(body: Body): Promise<SchemeSettleResponse>;
  /** `/supported` kinds: `upto` per network with `extra.facilitatorAddress` (`exact` is listed by the engine). */
  kinds(): { x402Version: 2; scheme: string; network: string; extra?: Record<string, unknown> }[];
  /** Addresses that send this scheme's transactions. */
  signers(): string[];
  /** Rebroadcasts the signed bytes of settlements journaled but maybe not sent before a restart. */
  start(): Promise<void>;
};

/**
 * Whether a v2 request is for a Permit2 scheme: `upto`, or `exact` whose payload is a Permit2 one (the official
 * facilitator routes `exact` on the payload: `"permit2Authorization" in payload`; clients send it for requirements
 * with `extra.assetTransferMethod: "permit2"`).
 */
export function permit2SchemeOf(body: {
  paymentPayload: { x402Version?: unknown; payload?: unknown };
  paymentRequirements: { scheme?: unknown; extra?: unknown };
}): Permit2SchemeName | undefined {
  if (body.paymentPayload.x402Version !== 2) return undefined;
  const scheme = body.paymentRequirements.scheme;
  if (scheme === UPTO_SCHEME) return "upto";
  const payload = body.paymentPayload.payload;
  if (scheme === "exact" && typeof payload === "object" && payload !== null && "permit2Authorization" in payload) {
    return "exact";
  }
  return undefined;
}

/** Creates the Permit2 schemes over the facilitator's networks, sending with `sender` (journal: its store). */
export function createPermit2Scheme(parameters: {
  sender: IntentSender;
  networks: readonly NetworkRuntime[];
  clock: Clock;
  logger: Logger;
}): Permit2Scheme {
  const { sender, networks, clock } = parameters;
  const byCaip2 = new Map<string, NetworkRuntime>(networks.map((n) => [n.caip2, n]));

  /** Parses the body; `refusal` when it is no Permit2 payment this facilitator can check. */
  const parse = (body: Body) => {
    const payment = body.paymentPayload as {
      accepted?: { scheme?: unknown; network?: unknown };
      payload?: unknown;
      extensions?: unknown;
    };
    const scheme = permit2SchemeOf(body as never) ?? "exact";
    const requirements = Permit2Requirements.safeParse(body.paymentRequirements);
    const payload = Permit2Payload.safeParse(payment.payload);
    if (!requirements.success || !payload.success) return { refusal: R.unsupportedPayloadType, payer: "" } as const;
    const payer = payload.data.permit2Authorization.from;
    const network = byCaip2.get(requirements.data.network);
    if (!network) {
      return { refusal: scheme === "exact" ? R.exactNetworkMismatch : R.uptoNetworkMismatch, payer } as const;
    }
    return {
      scheme,
      network,
      accepted: payment.accepted ?? {},
      extensions: payment.extensions,
      requirements: requirements.data,
      payload: payload.data,
    } as const;
  };
  const now = () => Math.floor(clock.now() / 1000);

  return {
    async verify(body) {
      const parsed = parse(body);
      if ("refusal" in parsed) return { isValid: false, invalidReason: parsed.refusal, payer: parsed.payer };
      return verifyPermit2({ ...parsed, sender: sender.account.address, now: now(), simulate: true });
    },

    async settle(body) {
      const parsed = parse(body);
      if ("refusal" in parsed) {
        const network = (body.paymentRequirements as { network?: unknown } | null)?.network;
        return {
          success: false,
          errorReason: parsed.refusal,
          transaction: "",
          network: typeof network === "string" ? network : "",
          payer: parsed.payer,
        };
      }
      return settlePermit2(sender, { ...parsed, now: now() });
    },

    kinds: () =>
      networks.map((n) => ({
        x402Version: 2 as const,
        scheme: UPTO_SCHEME,
        network: n.caip2,
        extra: { facilitatorAddress: sender.account.address },
      })),

    signers: () => [sender.account.address],

    async start() {
      await rebroadcastSubmitted(sender, (chainId) => networks.find((n) => n.chainId === chainId)?.client);
    },
  };
}
