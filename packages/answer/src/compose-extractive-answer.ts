import type { RetrievedPassage } from '@cairn/core';
import { analyzeText } from '@cairn/text';
import { applyFramework, lookBehind } from './apply-frameworks.js';
import { carryConversationOn } from './carry-conversation-on.js';
import { citationFor, type Citation } from './citation.js';
import { refusalText, scopeOutcomes } from './detect-refusal.js';
import type { MeaningSimilarity } from './meaning-relevance.js';
import { personaFrameworks, type PersonaFramework } from './persona-frameworks.js';
import { planAnswer } from './policy/plan-answer.js';
import { assumptionSearches } from './policy/recognise-assumptions.js';
import type { AnswerPlan, FrameworkSuggestion, PolicyRefusal } from './policy/types.js';
import { adviceList, foundByWordsAlone, selectSentences, standaloneSentences, type QuotableSentence } from './select-sentences.js';
import { splitSentences } from './split-sentences.js';
import { asksForWords, exampleFrameworks, workedExample } from './worked-example.js';

/** What an answer did: answered, declined by kind, or found nothing to stand on. */
export type AnswerOutcome = 'answered' | 'refused' | 'no_support' | 'declined_decision' | 'off_topic';

export interface ComposedAnswer {
  text: string;
  citations: Citation[];
  outcome: AnswerOutcome;
  /** Why the persona declined or held back, when it did. */
  refusal: PolicyRefusal | null;
  clarifyingQuestions: string[];
  frameworks: string[];
}

export interface ComposeOptions {
  /** The conversation policy's plan (by default planned from the question alone). */
  plan?: AnswerPlan | undefined;
  /** Most sentences under "What the sources say" (default 4). */
  maxPoints?: number;
  /** Most frameworks explained (default 2). */
  maxFrameworks?: number;
  /** Sentences not to quote again (a follow-up's previous answer). */
  alreadySaid?: ReadonlySet<string>;
  /** What to select sentences by when the question alone finds none (a follow-up's standalone query). */
  fallbackFocus?: string | undefined;
  /** Closeness in meaning, so that the sentences quoted speak to the question, not only share its words. */
  meaningSimilarity?: MeaningSimilarity | undefined;
}

/** A sentence that states a fix outright ("The fix is to add people"): not quoted where the question's premise is in doubt. */
const prescribes = /^(?:the|a|one|your)\s+(?:fix|answer|solution|remedy|cure)\s+(?:is|was|will be)\b/i;

/** How much a word of the framework's name counts beside one of the question's: enough to break a tie. */
const ownWeight = 0.1;

const lastName = (author: string | null) => (author ?? '').trim().split(/\s+/).at(-1)?.toLowerCase() ?? '';

/** Whether a passage is about `framework` and written (or summarised from writing) by its author. */
export function explainsFramework(passage: RetrievedPassage, framework: PersonaFramework): boolean {
  const about =
    passage.frameworks.some((name) => name.toLowerCase() === framework.name.toLowerCase()) ||
    framework.pattern.test(`${passage.title} ${passage.heading}`);
  return about && lastName(passage.author) === lastName(framework.author);
}

/** Whether a passage can explain `framework` in an answer: its author's, about it, with a quotable sentence that speaks of it. */
export function canExplain(passage: RetrievedPassage, framework: PersonaFramework, alreadySaid?: ReadonlySet<string>): boolean {
  return (
    explainsFramework(passage, framework) &&
    standaloneSentences(passage, 0).some((sentence) => framework.mentions.test(sentence.text) && !alreadySaid?.has(sentence.text))
  );
}

/**
 * The framework's explanation from its own author: among the passages about it by that
 * author, the standalone sentence that speaks of the framework (its name or its parts) and
 * of the question best. None when no such passage was retrieved: the framework is then not named.
 */
function frameworkExplanation(
  framework: PersonaFramework,
  question: string,
  passages: readonly RetrievedPassage[],
  used: ReadonlySet<string>,
  stale: ReadonlySet<number> = new Set(),
): QuotableSentence | undefined {
  const questionTerms = new Set(analyzeText(question));
  // The framework's own name breaks ties: "naming what is happening" over "who is in the room".
  const ownTerms = new Set(analyzeText(framework.name));
  let best: { sentence: QuotableSentence; score: number } | undefined;
  passages.forEach((passage, index) => {
    if (!explainsFramework(passage, framework)) return;
    for (const sentence of standaloneSentences(passage, index)) {
      // The explanation speaks of the framework itself, not only of the question's words.
      if (used.has(sentence.text) || !framework.mentions.test(sentence.text)) continue;
      const overlap = new Set(sentence.terms.filter((term) => questionTerms.has(term))).size;
      const own = new Set(sentence.terms.filter((term) => ownTerms.has(term))).size;
      // A passage the last answer quoted comes last: a follow-up moves on to other writing where there is some.
      const score = (overlap + ownWeight * own) / Math.sqrt(sentence.terms.length + 1) - index * 0.01 - (stale.has(index) ? 1 : 0);
      if (!best || score > best.score) best = { sentence, score };
    }
  });
  return best?.sentence;
}

/**
 * The extractive answer, driven by the conversation policy (planAnswer): a second-person
 * summary of what was understood; for a request to decide, a plain word that the decision
 * stays the user's; a question about the premise where the question carries an assumption,
 * with what to look at behind it; the frameworks that fit the question's intent, each
 * explained by a passage of its own author (or not named at all); the sentences of the
 * passages that best cover the question's parts (standalone, not redundant); what to look
 * at, applying each framework to the situation as told; then the remaining clarifying
 * questions. Requests for code and off-topic questions are declined by kind. The sources
 * are the citations, not repeated in the text.
 */
export function composeExtractiveAnswer(
  question: string,
  passages: readonly RetrievedPassage[],
  options: ComposeOptions = {},
): ComposedAnswer {
  const plan = options.plan ?? planAnswer([], question);
  const refusal = plan.refusal ?? null;
  if (refusal && refusal !== 'decide_for_user') {
    return {
      text: refusalText(refusal, plan.profession),
      citations: [],
      outcome: scopeOutcomes[refusal],
      refusal,
      clarifyingQuestions: [],
      frameworks: [],
    };
  }
  const focus = plan.resolvedQuestion || question;

  const citations: Citation[] = [];
  const numberOf = new Map<number, number>();
  const cite = (sentence: QuotableSentence): number => {
    const existing = numberOf.get(sentence.passageIndex);
    if (existing !== undefined) return existing;
    const n = citations.length + 1;
    numberOf.set(sentence.passageIndex, n);
    citations.push(citationFor(passages[sentence.passageIndex]!, n, sentence.text));
    return n;
  };
  const used = new Set<string>(options.alreadySaid ?? []);
  // The passages the last answer quoted from (a follow-up's): used again only where nothing else will do.
  const stale = new Set(
    passages.flatMap((passage, index) =>
      options.alreadySaid && splitSentences(passage.text).some((sentence) => options.alreadySaid!.has(sentence)) ? [index] : [],
    ),
  );

  const frameworkLines: string[] = [];
  const named: FrameworkSuggestion[] = [];
  for (const suggestion of plan.frameworks) {
    if (named.length >= (options.maxFrameworks ?? 2)) break;
    const framework = personaFrameworks.find((candidate) => candidate.name === suggestion.name);
    if (!framework) continue;
    const explanation = frameworkExplanation(framework, focus, passages, used, stale);
    if (!explanation) continue;
    used.add(explanation.text);
    named.push(suggestion);
    frameworkLines.push(`- **${framework.name}** (${framework.author}): ${framework.summary}. ${explanation.text} [${cite(explanation)}]`);
  }

  // Where the question carries an assumption, a source sentence that prescribes a fix would read as endorsing it.
  const exclude = new Set(used);
  if (plan.assumptions.length > 0)
    passages.forEach((passage, index) => {
      for (const sentence of standaloneSentences(passage, index))
        if (splitSentences(sentence.text).some((part) => prescribes.test(part))) exclude.add(sentence.text);
    });
  const max = options.maxPoints ?? 4;
  // A premise is read as the problem behind it ("starting over from scratch" is about a rewrite), and a follow-up in
  // the light of the turns before it, whose words count at half weight.
  const premise = plan.assumptions.map((assumption) => assumptionSearches[assumption.kind] ?? '').join(' ');
  const earlier = plan.followUp ? plan.context.earlierQuestions.slice(-2) : [];
  // A reply that only adds facts ("we're about 80 engineers") still wants the earlier question answered: that is the focus.
  const reply = earlier.length > 0 && !/\?/.test(question) && plan.intent !== 'explain';
  const asked = reply ? `${earlier.at(-1)} ${focus}` : focus;
  const context = earlier.length > 0 ? earlier.join(' ') : undefined;
  const meaning = options.meaningSimilarity;
  // The author's advice list on the question's subject first, where one of the first passages is one; then what the
  // sentences of every passage add to it.
  const listed = adviceList(asked, passages, { exclude, stale });
  for (const item of listed) exclude.add(item.text);
  // Passages found by their words alone, below the first few, are quoted only where nothing else speaks to the question.
  const wordsOnly = new Set(exclude);
  for (const index of foundByWordsAlone(passages))
    for (const sentence of standaloneSentences(passages[index]!, index)) wordsOnly.add(sentence.text);
  const pick = (excluded: ReadonlySet<string>) =>
    selectSentences(`${asked} ${premise}`.trim(), passages, {
      max: max - listed.length,
      exclude: excluded,
      context,
      stale,
      meaning,
      covered: listed,
    });
  let selected = pick(wordsOnly);
  if (selected.length === 0 && listed.length === 0) selected = pick(exclude);
  if (selected.length === 0 && listed.length === 0 && options.fallbackFocus && options.fallbackFocus !== focus)
    selected = selectSentences(options.fallbackFocus, passages, { max, exclude, meaning });
  selected = [...listed, ...selected];
  const points = selected.map((sentence) => `- ${sentence.text} [${cite(sentence)}]`);

  const [challenge] = plan.assumptions;
  const otherQuestions = plan.clarifyingQuestions.filter((asked) => asked !== challenge?.challenge);
  const lines = [`**What I understood:** ${plan.summary}`, ''];
  if (plan.feelings) lines.push(plan.feelings, '');
  if (plan.aside) lines.push(plan.aside, '');
  if (plan.correction) lines.push(plan.correction, '');
  if (plan.professionalSide) lines.push(plan.professionalSide, '');
  if (refusal === 'decide_for_user') lines.push(refusalText('decide_for_user'), '');
  if (challenge) {
    const behind = lookBehind(challenge.kind);
    lines.push(`**A question about the premise:** ${challenge.challenge}${behind ? ` ${behind}` : ''}`, '');
  }
  if (frameworkLines.length > 0) lines.push('**Frameworks that apply**', ...frameworkLines, '');
  if (points.length > 0) lines.push('**What the sources say**', ...points, '');
  // What to look at, once: a line an earlier answer of the conversation gave is not given again word for word (session 33's
  // audit: 12 of 25 follow-ups repeated it, one after the user had told of a family illness).
  const lookAt = named
    .map((framework) => applyFramework(framework.name, plan.context, question))
    .filter((line) => !plan.context.earlierAnswers.some((earlier) => earlier.includes(line)));
  if (lookAt.length > 0) lines.push('**What I would look at**', ...lookAt.map((line) => `- ${line}`), '');
  // "Give me an example", "What do I actually say?": the words of a framework said out loud, in the user's situation.
  if (asksForWords.test(question)) {
    const said = [question, ...[...plan.context.earlierQuestions].reverse()];
    const names = exampleFrameworks(
      [...named, ...plan.frameworks].map((framework) => framework.name),
      said,
    );
    const examples = names.flatMap((name) => {
      const example = workedExample(name, said);
      return example ? [`- **${name}:** ${example}`] : [];
    });
    if (examples.length > 0) lines.push('**An example, in your situation**', ...examples, '');
  }

  // A follow-up the sources have nothing new for, after an answer that had something, is still answered in the light of it.
  const carried =
    citations.length === 0 && plan.followUp && plan.context.earlierAnswers.some((earlier) => /\[\d+\]/.test(earlier))
      ? carryConversationOn(plan)
      : undefined;
  if (carried) lines.push(...carried.lines);
  else if (citations.length === 0) {
    lines.push(
      "I couldn't find anything in the sources I draw on (Will Larson, Lara Hogan, Jack Danger and the team's notes on them) that speaks to this directly, so I won't guess at an answer.",
      '',
    );
  }
  // With nothing new to quote, the one question that matters now is asked, if the plan has none of its own.
  const extra = carried && otherQuestions.length === 0 && carried.question ? [carried.question] : [];
  const asking = [...otherQuestions, ...extra];
  if (asking.length > 0) lines.push(`**Before I go further:** ${asking.join(' ')}`);
  else if (citations.length === 0 && !challenge)
    lines.push(
      '**To help me look again:** which part of engineering leadership does this touch: people, organisation, strategy, quality or infrastructure?',
    );
  const outcome = citations.length === 0 && !carried ? 'no_support' : refusal === 'decide_for_user' ? 'declined_decision' : 'answered';
  return {
    text: lines.join('\n').trim(),
    citations,
    outcome,
    refusal,
    clarifyingQuestions: [...plan.clarifyingQuestions, ...extra],
    frameworks: named.map((framework) => framework.name),
  };
}
