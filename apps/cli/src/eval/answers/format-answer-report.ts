import { table } from '../../output.js';
import { clip } from './answer-text.js';
import type { AnswerSetReport } from './evaluate-answer-set.js';

const share = (value: number | null) => (value === null ? 'n/a' : value.toFixed(2));

/** The table of rules × (passed / applicable, share), as the report and docs/evaluation.md show it. */
export function formatRuleTable(report: AnswerSetReport): string {
  const rows = [['rule', 'passed', 'applicable', 'share', 'n/a']];
  let kind: string | undefined;
  for (const score of report.rules) {
    if (kind !== undefined && score.kind !== kind) rows.push(['(LLM path)', '', '', '', '']);
    kind = score.kind;
    rows.push([score.rule, String(score.passed), String(score.applicable), share(score.share), String(score.notApplicable)]);
  }
  return table(rows);
}

/**
 * The report of a set: the table, the stock questions, then each rule's failing turns (the
 * first `maxFailures` of each, briefly); with `verbose`, every turn's answer too.
 */
export function formatAnswerReport(report: AnswerSetReport, options: { verbose?: boolean; maxFailures?: number } = {}): string {
  const maxFailures = options.maxFailures ?? (options.verbose ? Infinity : 5);
  const heading = `Answers on set ${report.set}: ${report.turns} turns in ${report.conversations} conversations, ${report.mode} (${report.model}), ${(report.durationMs / 1000).toFixed(1)} s`;
  const parts = [heading, '', formatRuleTable(report)];
  if (report.stockQuestions.length > 0) {
    parts.push('', `Clarifying questions in more than ${report.stockShare * 100}% of answered turns:`);
    for (const stock of report.stockQuestions) parts.push(`  ${(stock.share * 100).toFixed(0)}%  ${clip(stock.question, 100)}`);
  }
  const failing = report.rules.filter((score) => score.failed > 0);
  if (failing.length > 0) parts.push('', 'Failing turns:');
  for (const score of failing) {
    parts.push(`  ${score.rule} (${score.failed}): ${score.description}`);
    const turns = report.turnReports.filter((turn) => turn.verdicts[score.rule]?.status === 'fail');
    for (const turn of turns.slice(0, maxFailures)) {
      const verdict = turn.verdicts[score.rule]!;
      parts.push(
        `    ${turn.conversation}#${turn.turn} "${clip(turn.question, 50)}": ${verdict.status === 'fail' ? clip(verdict.detail, 160) : ''}`,
      );
    }
    if (turns.length > maxFailures) parts.push(`    … and ${turns.length - maxFailures} more (--verbose lists them all)`);
  }
  if (options.verbose) {
    parts.push('', 'Answers:');
    for (const turn of report.turnReports) {
      const failed = Object.entries(turn.verdicts)
        .filter(([, verdict]) => verdict.status === 'fail')
        .map(([rule]) => rule);
      parts.push(
        '',
        `── ${turn.conversation}#${turn.turn} [${turn.outcome}]${failed.length > 0 ? ` fails: ${failed.join(', ')}` : ''}`,
        `Q: ${turn.question}`,
        turn.answer,
      );
    }
  }
  return parts.join('\n');
}
