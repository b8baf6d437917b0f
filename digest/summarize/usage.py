"""What a model run used: requests, answers, tokens and their estimated cost, and the line that reports them."""

from __future__ import annotations

from dataclasses import dataclass

from digest.config import Price

# the Batch API's price, as a share of the live one
BATCH_DISCOUNT = 0.5


def price_for(prices: dict[str, Price], model: str) -> Price | None:
    """The price of the longest model-name prefix in the table."""
    matches = [name for name in prices if model == name or model.startswith(name + "-")]
    return prices[max(matches, key=len)] if matches else None


@dataclass
class Stats:
    requests: int = 0  # chat-completion requests sent, the SDK's retries included
    batched: int = 0  # answers that came through the Batch API
    answers: int = 0  # valid answers received (live or batch)
    invalid: int = 0  # answers that failed validation
    cache_hits: int = 0
    fallbacks: int = 0  # files and pages that got the offline text after the model failed
    over_budget: int = 0  # files and pages not asked because the token budget was spent
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float = 0.0

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens


def closing_line(stats: Stats, model: str, price: Price | None, budget: int | None) -> str:
    cost = f"estimated cost ${stats.cost:.4f}" if price else f"cost unknown (no price for {model!r}: add it under `prices:` in digest.yml)"
    line = (
        f"model {model}: {stats.requests} request(s)"
        + (f" + {stats.batched} through the Batch API" if stats.batched else "")
        + f", {stats.cache_hits} cache hit(s), "
        f"{stats.input_tokens:,} input + {stats.output_tokens:,} output tokens, {cost}"
    )
    if stats.invalid:
        line += f"; {stats.invalid} invalid answer(s)"
    if stats.fallbacks:
        line += f"; {stats.fallbacks} summary(ies) fell back to offline"
    if stats.over_budget:
        line += f"; token budget {budget:,} spent: {stats.over_budget} summary(ies) left offline"
    return line
