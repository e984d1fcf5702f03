import { compareStrings } from '../../constructs/core/json';
import type { TokenPrice } from '../config/sections/evaluation';

/** The price a run's tokens are charged at, with the table's date and currency for the report. */
export interface AppliedPrice {
  /** Model and deployment type priced, e.g. `gpt-4o GlobalStandard`. */
  readonly label: string;
  readonly price: TokenPrice;
  readonly currency: string;
  /** YYYY-MM-DD the price table was read. */
  readonly takenOn: string;
}

/**
 * Adds the metrics the evaluation job leaves to the gate: `tokensPerAnswer` (prompt + completion tokens
 * per answer) and, when a price is given, `costPer1kAnswers` = 1,000 x (prompt x input price + completion
 * x output price) / 1,000,000. A value the scores already carry is kept. Pure.
 */
export function withDerivedMetrics(
  scores: Readonly<Record<string, number>>,
  price: AppliedPrice | undefined,
): Record<string, number> {
  const out: Record<string, number> = { ...scores };
  const prompt = scores.promptTokensPerAnswer;
  const completion = scores.completionTokensPerAnswer;
  if (prompt === undefined || completion === undefined) return out;
  if (out.tokensPerAnswer === undefined) out.tokensPerAnswer = prompt + completion;
  if (price && out.costPer1kAnswers === undefined) {
    const perAnswer =
      (prompt * price.price.inputPerMillionTokens + completion * price.price.outputPerMillionTokens) /
      1_000_000;
    out.costPer1kAnswers = perAnswer * 1000;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => compareStrings(a, b)));
}
