import type { AgentRow } from "../../protocol/messages.js";
import { short, units } from "../format.js";
import { TxLink } from "./Tables.js";

/** ERC-8004 agents: identity, registration card, feedback and the reputation summary. */
export function Agents({ agents }: { agents: readonly AgentRow[] }) {
  return (
    <section aria-labelledby="agents-title">
      <h2 id="agents-title">ERC-8004 agents</h2>
      {agents.length === 0 ? <p class="muted">No agent registered.</p> : null}
      <div class="cards">
        {agents.map((a) => (
          <article class="card" key={a.agentId} data-testid="agent-card">
            <h3>
              Agent #{a.agentId} {a.card?.name ? <span>{a.card.name}</span> : null}
            </h3>
            {a.card?.description ? <p>{a.card.description}</p> : null}
            <dl>
              <dt>Owner</dt>
              <dd>
                <code title={a.owner}>{short(a.owner)}</code>
              </dd>
              <dt>agentWallet</dt>
              <dd>{a.wallet ? <code title={a.wallet}>{short(a.wallet)}</code> : "—"}</dd>
              <dt>x402</dt>
              <dd>{a.card?.x402Support ? "supported" : "—"}</dd>
              {a.card?.services?.map((s) => (
                <>
                  <dt>{s.name}</dt>
                  <dd>
                    <code>{s.endpoint}</code>
                  </dd>
                </>
              ))}
              <dt>Reputation</dt>
              <dd data-testid="agent-summary">
                {a.summary.count} review{a.summary.count === "1" ? "" : "s"}, average{" "}
                {units(a.summary.value, a.summary.decimals)}
              </dd>
            </dl>
            {a.feedback.length > 0 ? (
              <ul class="feedback">
                {a.feedback.map((f) => (
                  <li key={`${f.client}-${f.index}`}>
                    <code title={f.client}>{short(f.client)}</code> {f.tag1}={units(f.value, f.valueDecimals)}{" "}
                    {f.tag2 ? <span class="muted">({f.tag2})</span> : null} <TxLink hash={f.transaction} />
                  </li>
                ))}
              </ul>
            ) : null}
          </article>
        ))}
      </div>
    </section>
  );
}
