// A message split into what the user states and what they ask, and the questions as embedded clauses.
import { toSecondPerson } from './second-person.js';
import { hasFiniteVerb, isQuestionSentence, lowerFirst, plain, splitSentences } from './text-tools.js';
import { embedQuestion } from './embed-question.js';

/** Splits "Is that a problem, and what should I do about it" into its questions. */
function questionClauses(sentence: string): string[] {
  return sentence
    .replace(/[?]+$/, '')
    .split(
      /,?\s+(?:and|or|but)\s+(?=(?:if so,?\s+)?(?:what|how|why|when|where|which|who|should|is|are|do|does|can|could|would|at what|in what)\b)|,\s+(?=(?:what|how|why|should)\b)/i,
    )
    .map((clause) => clause.replace(/^if so,?\s+/i, '').trim())
    .filter(Boolean);
}

/** "Using the BICEPS core needs, how should I…": a framing phrase before the question. */
const framing =
  /^((?:using|in|as|with|for|given|from|under|within|at|based on|according to|if|when|once|now that|given that|beyond|besides|apart from|aside from|other than|outside(?: of)?|instead of|rather than|after|before|during)\b[^,?]{2,60}),\s*(?=(?:how|what|why|when|where|which|who|should|is|are|can|could|do|does)\b)(.+)$/i;

/** A question sentence as an embedded clause ("whether that is a problem and what to do about it"), or null. */
export function embedSentence(sentence: string): string | null {
  const text = plain(sentence).replace(/^(?:so|and|but|ok|okay|also|then|honestly|basically|well|please|hi|hey|just|actually)\b,?\s*/i, '');
  const framed = framing.exec(text);
  if (framed) {
    const inner = embedSentence(framed[2]!);
    const frame = toSecondPerson(framed[1]!);
    return inner ? `${inner}, ${frame.charAt(0).toLowerCase()}${frame.slice(1)}` : null;
  }
  const clauses = questionClauses(text).map(embedQuestion);
  if (clauses.some((clause) => clause === null)) return null;
  const parts = clauses as string[];
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** A sentence without a question mark that still asks something ("What should I do about it"). */
const unmarkedQuestion =
  /^(?:(?:and|so|but|ok|okay|also|then|anyway|honestly),?\s+)*(?:how|what|whats|hows|why|when|where|which|who|should|can|could|would|do|does|is|are|any (?:advice|tips|thoughts|ideas|suggestions))\b/i;

/**
 * A sentence that is a direct question by its order, whatever its punctuation ("how many engineers per manager is too
 * many. i have 13 reports"): a wh-word and then a verb or a quantity, not "What I want is…".
 */
const directQuestion =
  /^(?:how (?:many|much|often|long|do|does|did|can|could|should|would|is|are|to)|what (?:is|are|should|do|does|can|could|would|to)|why (?:is|are|do|does|did|should|would|can)|when (?:should|do|does|is|can)|where (?:should|do|does|can|is)|which (?:is|are|one|should))\b/i;

/** Words that alone make a message and carry nothing to summarise: "haha ok.", "Fine.", "Fair enough." */
const interjection =
  /^(?:(?:haha+|hah|lol|ok(?:ay)?|k|fine|sure|right|alright|all right|cool|great|thanks|thank you|thx|got it|fair enough|makes sense|hm+|um+|yes|yeah|yep|no|nope|oh|ah|wow|sorry|hi|hello|hey|understood|noted|then|quick (?:one|q|question)|question)[\s,.!-]*)+$/i;

/** A lead-in before the real message: "real question:", "ok, back to work:", "actually, a different question:". */
const leadIn =
  /^(?:(?:ok(?:ay)?|so|actually|also|and|but|anyway|alright|right|haha+|lol|fine|sorry|now|hi|hey|hello)[,.!]?\s+)*(?:(?:a |one |my )?(?:real|serious|quick|different|new|another|last|follow-?up|related|side|dumb|silly|honest|separate) (?:question|thing|topic)|one more thing|back to work|changing (?:the )?subject|on (?:a |another )?(?:different|separate|related) note|on another note|long story short|tl;?dr|(?:some |a bit of |quick )?(?:context|background))\s*[:,.!-]\s*/i;

/** The user hands the choice to Cairn: "You pick", "Make the call for me", "I'll go with whatever you say". */
const delegation =
  /^(?:(?:please|just|ok(?:ay)?|so|honestly),?\s+)*(?:you (?:pick|decide|choose)\b|(?:make|take) the (?:call|decision) for me\b|(?:decide|pick|choose)(?: one)? for me\b|just (?:pick|choose) one\b|(?:i'?m|i am|i'?ll|i will) (?:just )?(?:go(?:ing)? with|do(?:ing)?) whatever you\b|it'?s your call\b|your call\b|i trust your (?:judge?ment|call)\b)/i;

/** "Just tell me: should we…?": a request for a verdict, said before the question it is about. */
const tellMe =
  /^(?:(?:please|just|so|ok(?:ay)?),?\s+)*(?:tell me|be honest(?: with me)?|honestly|be straight(?: with me)?|(?:give me )?(?:a )?straight answer|no fluff|real talk)\s*[:,-]\s*(?=\S)/i;

/** "Option A: organise by product. Option B: organise by platform." */
const labelledOptions =
  /\boption (?:a|1|one)\s*[:)-]\s*([^.?!;]{3,80}?)\s*[.;,]\s*(?:or\s+)?option (?:b|2|two)\s*[:)-]\s*([^.?!;]{3,80}?)\s*(?:[.?!;]|$)/i;

/** A clause that asks, after a comma ("…, where do i even start"). */
const trailingQuestion =
  /,\s+((?:and |so |but )?(?:how|what|why|where|which|who|should|can|could|do|does|is|are|any (?:advice|tips|thoughts|ideas))\b[^,]{3,}?)\s*[.!]?$/i;
/** The same, ending in its question mark ("I trust your view more than mine, should we delay?"). */
const trailingMarkedQuestion =
  /,\s+((?:and |so |but )?(?:how|what|why|where|which|who|should|can|could|do|does|is|are|would|will)\b[^,]{3,}?\?)\s*$/i;
const subordinateStart =
  /^(?:when|if|once|as|while|because|since|after|before|now that|given|although|though|unless|until|with|without|for|in|\w+ing|based on|according to|beyond|besides|apart from|aside from|other than|outside|instead of|rather than|during)\b/i;

interface Parts {
  statements: string[];
  questions: string[];
  /** The user asked Cairn to make the choice. */
  delegated: boolean;
  /** The questions were put as "tell me: …". */
  tellMe: boolean;
  /** The user asked before telling ("Should I fire my tech lead? He keeps…"): the summary keeps that order. */
  questionFirst: boolean;
}

export function partsOf(text: string): Parts {
  const statements: string[] = [];
  const questions: string[] = [];
  let delegated = false;
  let told = false;
  let questionFirst = false;
  let rest = text;
  const options = labelledOptions.exec(rest);
  if (options) {
    statements.push(`I'm weighing two options: ${lowerFirst(options[1]!.trim())}, or ${lowerFirst(options[2]!.trim())}.`);
    rest = `${rest.slice(0, options.index)} ${rest.slice(options.index + options[0].length)}`;
  }
  const sentences = splitSentences(rest);
  const anyMarked = sentences.some(isQuestionSentence);
  sentences.forEach((raw, index) => {
    const last = index === sentences.length - 1;
    let sentence = raw.replace(leadIn, '').trim();
    if (!sentence || interjection.test(sentence)) return;
    const delegating = delegation.exec(sentence);
    if (delegating) {
      delegated = true;
      // "You decide: do I promote Priya or Sam?": the question after the hand-over stays.
      const after = sentence
        .slice(delegating[0].length)
        .replace(/^[^:]*$/, '')
        .replace(/^\s*:\s*/, '');
      if (!after || !isQuestionSentence(after)) return;
      sentence = after;
    }
    const verdict = tellMe.exec(sentence);
    if (verdict && isQuestionSentence(sentence)) {
      told = true;
      sentence = sentence.slice(verdict[0].length);
    }
    const request =
      /^(?:please\s+|just\s+)?(?:help|give|tell|explain|show|describe|walk|suggest|recommend|compare|outline|define|teach|remind|clarify|write|draft|review)\s+(?:me|us)\b|^(?:please\s+)?(?:explain|describe|compare|outline|define|summari[sz]e|list|write|review|fix|debug|generate|draft)\b|^(?:help|thoughts|ideas|advice|opinions?|suggestions|tips|wdyt)\s*[?!.]*$/i;
    // "I trust your view more than mine, should we delay the launch?": a statement, then the question after its comma.
    const marked = isQuestionSentence(sentence) && !unmarkedQuestion.test(sentence) ? trailingMarkedQuestion.exec(sentence) : null;
    if (marked && !subordinateStart.test(sentence) && hasFiniteVerb(sentence.slice(0, marked.index))) {
      if (statements.length === 0) questionFirst = false;
      statements.push(sentence.slice(0, marked.index));
      questions.push(marked[1]!.replace(/^(?:and|so|but)\s+/i, ''));
      return;
    }
    if (
      isQuestionSentence(sentence) ||
      request.test(sentence) ||
      (!anyMarked && last && unmarkedQuestion.test(sentence)) ||
      (!anyMarked && directQuestion.test(sentence))
    ) {
      // "tell me whether to promote Sam, I trust your judgement more than mine": a statement spliced on with a comma.
      const splice = isQuestionSentence(sentence) ? null : /,\s+(?=(?:i|we|i'm|we're|i've|we've)\s+\S+\s+\S+)/i.exec(sentence);
      if (splice && hasFiniteVerb(sentence.slice(splice.index + 1))) {
        statements.push(sentence.slice(splice.index + splice[0].length));
        sentence = sentence.slice(0, splice.index);
      }
      if (statements.length === 0) questionFirst = true;
      questions.push(sentence.replace(/^(?:(?:and|so|but|ok|okay|also|then|anyway|honestly),?\s+)+/i, ''));
      return;
    }
    // "I have no idea where to begin, where do i even start": the question rides at the end of a statement.
    const trailing = !anyMarked && last ? trailingQuestion.exec(sentence) : null;
    if (trailing && !subordinateStart.test(sentence) && hasFiniteVerb(sentence.slice(0, trailing.index))) {
      statements.push(sentence.slice(0, trailing.index));
      questions.push(trailing[1]!.replace(/^(?:and|so|but)\s+/i, ''));
      return;
    }
    statements.push(sentence);
  });
  return { statements, questions, delegated, tellMe: told, questionFirst: questionFirst && statements.length > 0 };
}

/** Keeps the summary short: statements up to about forty-five words, the first always. */
export function keptStatements(statements: readonly string[]): string[] {
  const kept: string[] = [];
  let words = 0;
  for (const statement of statements) {
    const length = statement.split(/\s+/).length;
    if (kept.length > 0 && words + length > 45) break;
    kept.push(statement);
    words += length;
  }
  return kept;
}
