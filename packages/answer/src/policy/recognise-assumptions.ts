import { askedDecision } from './classify-topic.js';
import { toSecondPerson } from './second-person.js';
import { baseVerbs, gerundPhrase, lowerFirst, pick, plain, splitSentences } from './text-tools.js';
import type { Assumption, AssumptionKind, ConversationContext } from './types.js';

/** A phrase in the user's first person, said back in the second, without a closing stop. */
/**
 * A phrase of the question as the answer says it back, inside one of its own sentences: in the second person, without
 * trailing punctuation, and without the capital its sentence start gave a determiner ("My engineer" → "your
 * engineer", not "what Your engineer is doing"); a name keeps its capital.
 */
const said = (phrase: string): string =>
  toSecondPerson(phrase)
    .replace(/[\s.?!,;:]+$/, '')
    .replace(/^(?:Your|The|A|An|Our|This|That|These|Those|His|Her|Their|One|Some|Each|Every)\b/, (word) => word.toLowerCase());

// ── hire_more ─────────────────────────────────────────────────────────────────────────

const peopleWord = String.raw`(?:engineers?|devs?|developers?|people|headcount|folks|sres?|bodies|staff|hands|ics)`;
const hirePatterns: RegExp[] = [
  new RegExp(
    String.raw`\b(?:need|needs|have|want|wants|plan(?:ning)?|going|asked|asking|ask|hoping) (?:to )?(?:hire|add|bring (?:on|in)|recruit|get)\s+(?:(\w+|\d+) )?(?:more |additional |extra )${peopleWord}\b`,
    'i',
  ),
  new RegExp(String.raw`\b(?:hire|hiring|add|adding|recruit|recruiting|get|getting)\s+(?:(\w+|\d+)\s+)?more\s+${peopleWord}`, 'i'),
  new RegExp(
    String.raw`\b(?:need|needs|ask(?:ing)? for|request(?:ing)?|get(?:ting)?|want|wants)\s+(?:a lot |(\w+|\d+) )?more\s+(?:(?:senior|junior|experienced|backend|frontend|mobile|good|strong|qualified|platform|product)\s+)?${peopleWord}\b`,
    'i',
  ),
  /\b(?:we(?:'re| are)|the team is|my team is|our team is|they(?:'re| are)) (?:badly |seriously |just )?(?:under-?staffed|short-?staffed|understaffed)\b|\bnot enough (?:engineers|people|headcount|devs|developers|hands)\b|\btoo few (?:engineers|people)\b|\b(?:do ?n[o']?t|does ?n[o']?t|never) have enough (?:engineers|people|headcount|devs|developers|hands|capacity)\b/i,
  // "The fix for our missed deadlines is more headcount": more people named as the fix.
  new RegExp(
    String.raw`\b(?:fix|answer|solution|cure|remedy|way out)\b[^.?!]{0,60}\b(?:is|=|means)\s+(?:just |simply |obviously )?(?:to (?:hire|add) )?more\s+${peopleWord}\b|\bmore\s+${peopleWord}\s+(?:will|would|'ll)\s+(?:fix|solve|sort|help)\b`,
    'i',
  ),
  /\bthrow (?:more )?(?:people|engineers|bodies|headcount) at\b/i,
  // "We need to hire 10 senior engineers this year": a plan of many hires, said without "more".
  new RegExp(
    String.raw`\b(?:need|needs|have|want|wants|plan(?:ning)?|going|hoping|expect(?:ing)?) (?:to )?(?:hire|add|recruit|bring on)\s+((?:[5-9]|[1-9]\d+|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|a dozen|dozens of))\s+(?:(?:senior|junior|experienced|backend|frontend|mobile|platform|product|staff|new)\s+)?${peopleWord}\b`,
    'i',
  ),
  /\b(?:double|triple|grow) (?:the|my|our) team\b.{0,30}\b(?:to|so)\b|\b(?:double|triple|doubling|tripling) (?:the|my|our) (?:team|org|organi[sz]ation|headcount|engineering team)\b/i,
];
const hiringProcess =
  /\b(?:interview\w*|loop|candidates?|offers?|sourcing|job descriptions?|funnel|recruiters?|close|closing|onboard\w*)\b/i;
const hirePurpose =
  /\bto (?:fix|solve|speed up|improve|address|deal with|help with|keep up with|handle|ship|deliver|increase|get|catch up|hit|meet|clear|reduce) ([^,.?;!]+)/i;
const capacityWords =
  /\b(?:velocity|faster|speed|slow|keep up|capacity|overwhelmed|drowning|backlog|deadline|ship|deliver|firefight\w*|behind)\b/i;

function hireMore(text: string): Assumption | null {
  const match = hirePatterns.map((pattern) => pattern.exec(text)).find((found) => found !== null);
  if (!match) return null;
  // "every time we hire more people" describes what happened, not a plan to hire.
  if (/\b(?:every time|each time|whenever|when|after|as)\s+(?:we|i|they|you)\s*$/i.test(text.slice(0, match.index))) return null;
  // Many hires at once is a bet worth a question even when what is asked is the loop that hires them ("We need to hire 10
  // senior engineers this year. How do I design the interview loop?"); two more for a loop is routine.
  const many =
    match[1] !== undefined &&
    /^(?:[5-9]|[1-9]\d+|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|a dozen|dozens of)$/i.test(match[1]);
  if (hiringProcess.test(text) && !capacityWords.test(text) && !many) return null;
  const count =
    match[1] && !/^(?:a|some|the|lots?|many)$/i.test(match[1]) ? (/\bmore\b/i.test(match[0]) ? `${match[1]} more` : match[1]) : 'more';
  const purpose = hirePurpose.exec(text.slice(match.index));
  const people = `${count} engineers`;
  const options = purpose
    ? [
        `You're counting on ${people} to ${said(purpose[1]!)}: what is slowing the work down today, and would more people fix that or add to the coordination load?`,
        `What would ${people} change about ${said(purpose[1]!).replace(/^(?:your|the) /, 'your ')}, concretely: is the team short of hands, or is the work held up by priorities, reviews or dependencies that new people would wait on too?`,
      ]
    : [
        `What problem would ${people} solve, and how sure are you that it's capacity rather than priorities, dependencies or review queues that more people would make worse?`,
        `What would ${people} let you do that the current team can't, and what's stopping the current team from doing it?`,
        `Before adding people, what is the team's time going to today, and which part of that would ${people} actually take off its plate?`,
      ];
  return { kind: 'hire_more', phrase: match[0], challenge: pick(options, text) };
}

// ── velocity_slow ─────────────────────────────────────────────────────────────────────

const speedNouns = String.raw`velocity|delivery|shipping|throughput|output|productivity|pace|cycle time|lead time|progress`;
const velocityPatterns: RegExp[] = [
  new RegExp(
    String.raw`\b(${speedNouns})\b[^.?!]{0,40}?\b(?:slow|slower|slowing|sluggish|dropp\w*|down|declin\w*|tank\w*|low|lower|a crawl|suffer\w*|not (?:getting )?(?:any )?faster|isn'?t (?:getting )?(?:any )?faster|worse|bad|terrible|poor|stalled|behind|problems?|issues?)\b`,
    'i',
  ),
  new RegExp(String.raw`\b(?:slow|sluggish|low|poor|declining|dropping|falling)\s+(${speedNouns})\b`, 'i'),
  /\b(?:we|team|teams|engineers|engineering|everyone|it)\b[^.?!]{0,30}?\b(?:ship(?:s|ping)?|deliver(?:s|ing)?|mov(?:e|es|ing)|work(?:s|ing)?)\s+(?:too |so |really |very |painfully )?slow(?:ly)?\b/i,
  /\b(?:not|aren'?t|isn'?t|never) (?:ship(?:ping)?|deliver(?:ing)?|moving|going) (?:fast|quickly) enough\b/i,
  /\b(?:takes?|taking) (?:forever|ages|way too long|too long)\b/i,
  // "Engineering is too slow", "the team feels slow": the claim about speed, without a verb of work.
  /\b(?:engineering|development|product development|(?:the |our |my )?(?:eng(?:ineering)? )?teams?|we|they|engineers)\s+(?:is|are|'re|feels?|seems?|has been|have been)\s+(?:too |so |really |very |way too |much too )?slow\b/i,
  /\b(?:ship|move|deliver) faster\b/i,
  /\b(?:the team|my team|our team|we)(?:'re| is| are) (?:too |so |really )?slow\b/i,
  // Terse: "team too slow", "devs way too slow".
  /\b(?:team|teams|engineering|eng|devs?|developers|engineers|delivery|we|everything|things)\s+(?:(?:is|are|'re|feels?|seems?)\s+)?(?:way |far |much |just |so |really )?too slow\b/i,
  /\b(?:never|rarely|barely|hardly) ship(?:s|ping)? (?:anything|much|on time)\b/i,
  /\bused to take (?:a|an|one|two|\d+) \w+[^.?!]{0,30}\b(?:now )?takes?\b/i,
  // Asking to make the team faster assumes it is slow.
  new RegExp(
    String.raw`\b(?:increase|improve|boost|raise|double|speed up|fix)\s+(?:the |my |our |their |team'?s? |engineering )*(${speedNouns}|speed)\b|\bspeed (?:the team|my team|our team|us|them|things|engineering) up\b|\bmake (?:the team|my team|our team|my engineers|our engineers|engineering|them|us) (?:more productive|faster|ship faster)\b`,
    'i',
  ),
];

/**
 * A sentence about one person's work ("her output has dropped", "can I let him go for low output?"): a performance
 * matter between a manager and a report, not a team's speed, so the velocity question does not fit it.
 */
function aboutOnePerson(sentence: string): boolean {
  return (
    /\b(?:he|she|him|her|his|hers)\b/i.test(sentence) &&
    !/\b(?:team|teams|we|us|our|engineering|org|organi[sz]ation|everyone|squad|company|department|group)\b/i.test(sentence)
  );
}

function velocitySlow(text: string): Assumption | null {
  // The claim as a sentence makes it, in a sentence about the team's work rather than one person's.
  const match = splitSentences(text)
    .filter((sentence) => !aboutOnePerson(sentence))
    .flatMap((sentence) => velocityPatterns.map((pattern) => pattern.exec(sentence)))
    .find((found) => found !== null);
  if (!match) return null;
  const named = match[1]?.toLowerCase();
  const measure = named && !['progress', 'output'].includes(named) ? named : /\bdeliver/i.test(match[0]) ? 'delivery' : 'velocity';
  const measured =
    /\b(?:measur\w*|metrics?|dora|cycle time|lead time|story points|throughput|deploy(?:ment)? frequency)\b/i.test(text) &&
    !/\bhow (?:do|should|can) (?:i|we) measure\b/i.test(text);
  const askerMatch = /\b(?:leadership|the ceo|our ceo|my ceo|the board|my boss|my manager|execs?|the business)\b/i.exec(text)?.[0];
  const asker = askerMatch ? lowerFirst(askerMatch) : undefined;
  const options = measured
    ? [
        `What changed around the time ${measure} started to drop: the team, the kind of work, on-call load, or its dependencies?`,
        `When did the numbers start to move, and what else changed then?`,
      ]
    : asker
      ? [
          `How is ${measure} being measured when ${said(asker)} ${/^(?:execs|the business|leadership|the board)$/i.test(asker) && /s$/i.test(asker) ? 'call' : 'calls'} it slow, and compared with when?`,
          `What does ${said(asker)} compare ${measure} against, and what changed since it felt fast enough?`,
        ]
      : [
          `How are you measuring ${measure} today, and what changed around the time it started to feel slow?`,
          `What tells you ${measure} is slow: which measure, compared with when, and what changed in between?`,
          `Slow compared with what: how do you measure ${measure} now, and what was different when it felt fast enough?`,
        ];
  return { kind: 'velocity_slow', phrase: match[0], challenge: pick(options, `${text}/velocity`) };
}

// ── rewrite ───────────────────────────────────────────────────────────────────────────

const rewritePattern =
  /\b(?:a|the|full|complete|total|big|ground-up) (?:rebuild|rewrite|re-write|re-?architecture)\b|\breplac(?:e|ing) (?:our|the|my|this|that) (?:\w+ )?(?:homegrown|home-grown|legacy|old|existing|current|in-house|aging|ageing) \w+|\b(?:rewrite|rewriting|re-write|rebuild(?:ing)?(?=\s+(?:(?:the|our|my|this|that|it|its|a|an|whole|entire|new|old|legacy|core)\s+){0,3}(?:\w+\s+)?(?:system|service|services|app|application|platform|codebase|code|backend|frontend|stack|architecture|monolith|product|site|infrastructure|it|everything|api|database|pipeline)\b|\s+(?:from scratch|from the ground up))|re-?architect(?:ing)?|re-?platform(?:ing)?|start(?:ing)? (?:over|again) from scratch|from scratch|from the ground up|throw (?:it|everything|the \w+) away|throw(?:ing)? away (?:the|our|my|this|that|all)\b|greenfield (?:replacement|rebuild|rewrite|version)|replac(?:e|ing) (?:it|the \w+|our \w+) (?:entirely|wholesale|completely))\b|\b(?:start(?:ing)?|begin(?:ning)?) (?:over|again|afresh|fresh)\b(?=[^.?!]*\b(?:code|codebase|app|application|system|service|platform|stack|monolith|backend|frontend|architecture)\b)|\b(?:code|codebase|app|application|system|service|platform|stack|monolith|backend|frontend|architecture)\b[^.?!]{0,60}\b(?:start(?:ing)?|begin(?:ning)?) (?:over|again|afresh|fresh)\b/i;

/** Taking a monolith apart into services: the same bet as a rewrite, however it is put. */
const decomposePattern =
  /\b(?:break(?:ing)? up|split(?:ting)? up|split(?:ting)?|carv(?:e|ing) up|decompos(?:e|ing)|dismantl(?:e|ing)) (?:the |our |my |this |that |a )?monolith\b|\b(?:move|moving|migrate|migrating|switch|switching|go|going) (?:over )?to (?:micro-?services|a micro-?services architecture)\b|\binto micro-?services\b/i;

function rewrite(text: string): Assumption | null {
  const decompose = decomposePattern.exec(text);
  if (decompose) {
    const options = [
      'What would splitting the monolith fix that changing how it is built, tested and deployed would not, and what will every team pay in operations and coordination once it is many services?',
      'Which problem is the split meant to solve, and have you checked that it lives in the monolith itself rather than in the test suite, the deploy pipeline or how teams share the code?',
    ];
    return { kind: 'rewrite', phrase: decompose[0], challenge: pick(options, `${text}/decompose`) };
  }
  const match = rewritePattern.exec(text);
  if (!match) return null;
  const object =
    /\b(?:rewrite|rewriting|re-write|rebuild(?:ing)?(?=\s+(?:(?:the|our|my|this|that|it|its|a|an|whole|entire|new|old|legacy|core)\s+){0,3}(?:\w+\s+)?(?:system|service|services|app|application|platform|codebase|code|backend|frontend|stack|architecture|monolith|product|site|infrastructure|it|everything|api|database|pipeline)\b|\s+(?:from scratch|from the ground up))|re-?architect(?:ing)?|re-?platform(?:ing)?)\s+((?:the|our|my|this|that|it|everything|all of)\b[^,.?;!]{0,40}?)(?=\s+(?:in|from|to|with|using|because|since|so|and|or|but|before|this|next)\b|[,.?;!]|$)/i.exec(
      text,
    );
  const replaced = object
    ? null
    : /\breplac(?:e|ing)\s+((?:our|the|my|this|that)\s+[^,.?;!]{0,40}?)(?=\s+(?:with|by|in|for|and|because|so|before)\b|[,.?;!]|$)/i.exec(
        text,
      );
  const thing = object ? said(object[1]!) : replaced ? said(replaced[1]!) : 'it';
  const options = [
    `What would rewriting ${thing} fix that an incremental migration wouldn't, and how would you keep the current system and its users served while the rewrite is under way?`,
    `What problem is the rewrite meant to solve, and what has stopped you from fixing it piece by piece in the system you have?`,
  ];
  return { kind: 'rewrite', phrase: match[0], challenge: pick(options, `${text}/rewrite`) };
}

// ── fire_someone ──────────────────────────────────────────────────────────────────────

const firePatterns: RegExp[] = [
  /\blet(?:ting)? go of\s+((?:my|our|him|her|them|this|that|the|a|an|one of my|one of our)\b(?:\s+(?!for\b|because\b|over\b|if\b|or\b|now\b|who\b|that\b|which\b|with\b|after\b|since\b|and\b|but\b|to\b|in\b|on\b|at\b|when\b|as\b)[\w-]+){0,3})/i,
  /\b(?:cut|cutting)\s+((?:him|her|them|[A-Z][a-z]+))\s+loose\b|\bshow(?:ing)?\s+((?:him|her|them|[A-Z][a-z]+))\s+the door\b/i,
  /\b(?:fire|firing|sack|sacking|terminate|terminating|dismiss|dismissing|get rid of|part ways with|manage out|managing out|push out|pushing out)\s+((?:my|our|him|her|them|this|that|the|a|an|one of my|someone)\b(?:\s+(?!for\b|because\b|over\b|if\b|or\b|now\b|already\b|who\b|that\b|which\b|with\b|after\b|since\b|and\b|but\b|to\b|in\b|on\b|at\b|when\b|as\b)[\w-]+){0,3})/i,
  /\b(?:let|letting)\s+((?:my|our|him|her|them|this|that|the|[A-Z][a-z]+)\b(?:\s+(?!go\b)[\w-]+){0,3}?)\s+go\b/,
  /\b(?:put|putting)\s+((?:my|our|him|her|them|this|that|the|[A-Z][a-z]+)\b(?:\s+(?!on\b)[\w-]+){0,3}?)\s+on (?:a |an )?(?:pip|performance improvement plan)\b/i,
];

function fireSomeone(text: string, context: ConversationContext): Assumption | null {
  let match: RegExpExecArray | null = null;
  for (const pattern of firePatterns) {
    match = pattern.exec(text);
    if (match) break;
  }
  if (!match) {
    if (
      !/\b(?:fire|firing|let (?:him|her|them) go|pip)\b/i.test(text) ||
      /\b(?:fire ?fight\w*|on fire|fires|fire drill|fire alarm)\b/i.test(text)
    )
      return null;
  }
  const object = (match?.[1] ?? match?.[2])?.trim() ?? '';
  if (/^(?:the (?:alarm|drill)|a (?:drill|warning))/i.test(object)) return null;
  // Let go for the business's reasons (a layoff, a visa, the budget) is no one's performance: the gap question would
  // blame them.
  if (businessReasons.test(text)) return null;
  // Someone else's plan the user doubts ("HR wants me to put her on a PIP, but I think…"): the user already asks it.
  if (othersPlan.test(text) && doubted.test(text)) return null;
  // A whole team or function is no one's performance problem: cutTeam asks about it.
  if (/\b(?:whole|entire|all)\b|\b(?:teams?|department|function|group|org|squad)$/i.test(object) || cutTeamPattern.test(text)) return null;
  const pronoun = !object || /^(?:him|her|them|someone|this|that)$/i.test(object);
  const person = pronoun ? (context.people[context.people.length - 1]?.phrase ?? '') : object;
  const named = person ? said(person).replace(/^(?:a|an)\s+/i, 'the ') : '';
  const options = named
    ? [
        `What exactly is the gap between what ${named} is doing and what the role needs, and have they heard that from you plainly, with specific examples?`,
        `What has ${named} done, or not done, that has you considering this, and how clearly have they been told what has to change?`,
        `What have you told ${named} so far about what you need from them, and how did they respond?`,
      ]
    : [
        `What exactly is the gap between what they're doing and what the role needs, and have they heard that from you plainly, with specific examples?`,
        `What have they done, or not done, that has you considering this, and how clearly have they been told what has to change?`,
        `What have you told them so far about what you need from them, and how did they respond?`,
      ];
  return { kind: 'fire_someone', phrase: match?.[0] ?? 'fire', challenge: pick(options, `${text}/fire`) };
}

/** Reasons to let someone go that are the business's, not their work's. */
const businessReasons =
  /\b(?:lay(?:ing)? off|laid off|layoffs?|redundanc\w*|budget cuts?|headcount (?:cuts?|reductions?)|reductions? in force|downsiz\w*|(?:role|position)s? (?:is |was |being )?eliminated|visas?|h-?1b|funding)\b/i;
/** A decision about someone that another person wants. */
const othersPlan =
  /\b(?:hr|my (?:manager|boss|director|vp|skip)|leadership|the (?:company|ceo|cto|vp|director)|(?:they|he|she)) (?:wants?|asked|is asking|are asking|told|is pushing|are pushing|insists?|suggested)\b|\bi(?:'ve| have)? (?:been|was|am being) (?:asked|told)\b/i;
/** The user doubting it. */
const doubted =
  /\bbut (?:i|we) (?:think|believe|feel|suspect|doubt|disagree)\b|\bi (?:don'?t|do not) (?:think|agree|believe)\b|\bi'?m not (?:sure|convinced)\b|\bi disagree\b|\bnot (?:her|his|their) fault\b/i;

// ── replace_one_on_ones ───────────────────────────────────────────────────────────────

const oneOnOnes = String.raw`(?:1[:-]1s?|1-on-1s?|1on1s?|one[- ]on[- ]ones?|one to ones?|1:1 meetings)`;
const replaceOneOnOnesPattern = new RegExp(
  String.raw`\b(?:i'?m|i am|i'?ll|i will|we'?re|we are|we'?ll|we will|(?:i|we) (?:want|plan|intend|need|decided|have decided|am going|are going|might|could|should)(?: to)?|planning to|going to|thinking (?:of|about)|about to|considering)\s+(?:\w+\s+){0,2}?(?:stop(?:ping)?|skip(?:ping)?|cancel(?:l?ing)?|drop(?:ping)?|get(?:ting)? rid of|do(?:ing)? away with|replac(?:e|ing)|scrap(?:ping)?|end(?:ing)?|fold(?:ing)?|merg(?:e|ing))\s+(?:(?:doing|having|all|my|our|the|regular|weekly)\s+)*${oneOnOnes}\b|\b(?:instead of|in place of|rather than|replace)\s+(?:(?:doing|having|my|our|the|weekly)\s+)*${oneOnOnes}\b`,
  'i',
);

function replaceOneOnOnes(text: string): Assumption | null {
  const match = replaceOneOnOnesPattern.exec(text);
  if (!match) return null;
  const options = [
    'What do your 1:1s give people that a standup or a group channel cannot (a private place for career, worries and feedback), and where will that go once they stop?',
    'Who on the team would raise a worry about their career or a colleague in front of everyone, and how would you hear it without a 1:1?',
  ];
  return { kind: 'replace_one_on_ones', phrase: match[0], challenge: pick(options, `${text}/oneonones`) };
}

// ── promotion_as_cure ─────────────────────────────────────────────────────────────────

const intoManagement =
  /\b(?:promot\w*|mov(?:e|es|ed|ing)|put(?:ting)?|turn(?:ing)?|switch(?:ing)?)\s+(?:him|her|them|my \w+(?: \w+)?|our \w+(?: \w+)?|the \w+|\w+)\s+(?:in)?to (?:a |an |the )?(?:manage\w*|em|engineering manager|team lead|tech lead|lead)\b|\bmak(?:e|ing) (?:him|her|them|\w+) (?:a |an |the )?(?:manager|em|engineering manager|team lead|lead)\b|\bgive (?:him|her|them) (?:a |the )?(?:team|reports) to manage\b/i;
const asCure =
  /\b(?:burn(?:t|ed|ing)? ?out|burnout|exhausted|bored|boredom|disengaged|unmotivated|demotivated|re-?energi[sz]\w*|motivat\w*|keep (?:him|her|them) (?:engaged|interested|happy|from leaving)|stop (?:him|her|them) (?:from )?(?:leaving|quitting)|so (?:he|she|they) (?:doesn'?t|won'?t|don'?t) (?:leave|quit)|retain (?:him|her|them)|flight risk|a fresh challenge|shake things up for (?:him|her|them))\b/i;

function promotionAsCure(text: string): Assumption | null {
  const match = intoManagement.exec(text);
  if (!match || !asCure.test(text)) return null;
  const options = [
    'Does this engineer want to manage people, and what is wearing them out today that the new job would not carry too?',
    'What is behind how they feel now (the work, the load, the lack of growth), and would management, a different job with its own learning curve, fix that or add to it?',
  ];
  return { kind: 'promotion_as_cure', phrase: match[0], challenge: pick(options, `${text}/cure`) };
}

// ── staff_stop_coding ─────────────────────────────────────────────────────────────────

const staffWords = String.raw`(?:staff(?:[- ]plus|\+)?|principal|senior staff)(?: (?:engineers?|engs?|ics?|folks|people|devs?))?`;
const staffStopCodingPattern = new RegExp(
  [
    String.raw`\b${staffWords}\s+(?:shouldn'?t|should not|don'?t need to|do not need to|no longer need to|shouldn'?t have to|should stop|need to stop)\s+(?:be\s+)?(?:writ(?:e|ing)|cod(?:e|ing)|ship(?:ping)? code|touch(?:ing)? (?:the )?code)\b`,
    String.raw`\b(?:tell|telling|ask|asking|make|making|get|getting|ban|banning|stop|stopping|forbid|forbidding)\s+(?:mine|them|him|her|my ${staffWords}|our ${staffWords}|the ${staffWords})\s+(?:to\s+)?(?:from\s+)?(?:stop\s+)?(?:writ(?:e|ing)|cod(?:e|ing))\b`,
  ].join('|'),
  'i',
);

function staffStopCoding(text: string): Assumption | null {
  const match = staffStopCodingPattern.exec(text);
  if (!match) return null;
  const options = [
    'Which shape of staff role is this (a Tech Lead often keeps coding with the team, an Architect may code less), and what would stop working if they stopped coding?',
    'What problem is taking them off code meant to solve, and how will they keep the hands-on judgement that makes their design docs worth reading?',
  ];
  return { kind: 'staff_stop_coding', phrase: match[0], challenge: pick(options, `${text}/coding`) };
}

// ── best_engineer_to_manager ──────────────────────────────────────────────────────────

const strongestEngineer =
  /\b(?:best|strongest|top|most senior|most productive|star|brilliant|smartest)\b[^.?!]{0,30}\b(?:engineer|developer|dev|ic|coder|performer)\b|\b(?:brilliant|great|strong) technically\b|\btechnically (?:brilliant|the strongest|the best)\b/i;

function bestEngineerToManager(text: string): Assumption | null {
  const match = intoManagement.exec(text);
  if (!match || !strongestEngineer.test(text) || asCure.test(text)) return null;
  // The person as the user spoke of them: "him", "her", else "they".
  const [they, their] = /\b(?:him|he|his)\b/i.test(text)
    ? ['he', 'his']
    : /\b(?:her|she)\b/i.test(text)
      ? ['she', 'her']
      : ['they', 'their'];
  const [does, has] = they === 'they' ? ['Do', 'have'] : ['Does', 'has'];
  const options = [
    `${does} ${they} want to manage people, and ${has} ${they} had a chance to try parts of the job (running a meeting, giving hard feedback) before it becomes ${their} job?`,
    `What will the team lose in ${their} technical work, and what support will ${they} have in the first months of a job that is different, not a step up?`,
  ];
  return { kind: 'best_engineer_to_manager', phrase: match[0], challenge: pick(options, `${text}/manager`) };
}

// ── cant_delegate ─────────────────────────────────────────────────────────────────────

/**
 * "I can't delegate, they're too junior", "it's faster if I do it myself": the manager keeps the work, so the team
 * never gets the practice that would let it take the work, and the manager stays the bottleneck (a reinforcing loop).
 */
const cantDelegatePattern = new RegExp(
  [
    String.raw`(?:\bi\s+|\bi(?:'m| am)\s+|^\s*)(?:can'?t|cannot|couldn'?t|won'?t|don'?t want to|am not able to|'m not able to)\s+(?:really\s+)?(?:delegate|hand (?:it|this|that|anything|things|work) (?:off|over)|let go of)\b[\s\S]{0,100}?\b(?:too junior|too green|too new|inexperienced|mess (?:it|this|things) up|screw (?:it|this|things) up|drop the ball|not ready|isn'?t ready|aren'?t ready|do it (?:wrong|badly)|get it wrong|faster (?:if i do it|myself|to do it myself)|quicker (?:if i do it|myself))`,
    String.raw`\b(?:they(?:'re| are)|my team is|the team is|my reports are|everyone is)\s+(?:just\s+|all\s+)?(?:too junior|too green|too new|not ready)\s+(?:to|for)\s+(?:delegate|hand|take (?:over|on)|own)\b`,
    String.raw`\b(?:it'?s|it is|it'?d be|it would be)\s+(?:just\s+)?(?:faster|quicker|easier)\s+(?:if i (?:just )?do it|to (?:just )?do it myself|for me to (?:just )?do it)\b`,
  ].join('|'),
  'i',
);

function cantDelegate(text: string): Assumption | null {
  const match = cantDelegatePattern.exec(text);
  if (!match) return null;
  const options = [
    'If they never get this work, when do they stop being too junior for it? What is the smallest piece you could hand over this week, with a check-in halfway, where a mistake would be cheap?',
    'Doing it yourself is faster this week and keeps you the bottleneck next quarter: which piece could someone take with your review rather than your hands, and what would a mistake on it actually cost?',
  ];
  return { kind: 'cant_delegate', phrase: match[0], challenge: pick(options, `${text}/delegate`) };
}

// ── feedback_saved_for_review ─────────────────────────────────────────────────────────

const reviewWords = String.raw`(?:(?:written |annual |year-end |mid-year |quarterly )?(?:performance |perf )?reviews?|review (?:doc|document|packet)|write-?ups?|appraisals?|evaluations?)`;
const savedForReviewPattern = new RegExp(
  [
    String.raw`\b(?:put|putting|save|saving|keep|keeping|hold|holding|store|storing|leave|leaving|raise|raising|include|including|write|writing|document|documenting)\s+(?:\w+\s+){0,4}?(?:negative |critical |tough |hard |constructive )?(?:feedback|criticism|concerns?|issues|problems|complaints)\b[^.?!]{0,40}\b(?:for|in|until|till|into) (?:the |my |his |her |their |our )?${reviewWords}`,
    String.raw`\b(?:wait|waiting|hold off|holding off)\s+(?:until|till|for)\s+(?:the |my |his |her |their |our )?${reviewWords}\b`,
    String.raw`\b(?:no need|don'?t need|won'?t need|not going|won'?t|don'?t want)\s+(?:to\s+)?(?:discuss|talk about|mention|bring up|raise|go over|tell (?:him|her|them))\b[^.?!]{0,40}\b(?:beforehand|before(?:hand)?|ahead of time|in advance|first|before the review)\b`,
    String.raw`\bsurprise (?:him|her|them) (?:with|in)\b[^.?!]{0,30}\b${reviewWords}`,
  ].join('|'),
  'i',
);

function feedbackSavedForReview(text: string): Assumption | null {
  const match = savedForReviewPattern.exec(text);
  if (!match) return null;
  const options = [
    'What will they do with criticism they first read in a written review, and what would change if they heard it now, while there is still time to act on it?',
    'If the review is the first they hear of it, what will they take from the review: the feedback, or that it was kept from them?',
  ];
  return { kind: 'feedback_saved_for_review', phrase: match[0], challenge: pick(options, `${text}/review`) };
}

// ── one_hire_fixes ────────────────────────────────────────────────────────────────────

const oneHirePattern =
  /\bhir(?:e|ing)\s+(?:a|an|one|the right|some)\s+(?:\w+\s+){0,2}?(?:staff|principal|senior|lead|architect|cto|vp|head of \w+|rock ?star|10x|strong|great|experienced)\b[^.?!]{0,40}?\b(?:to|who (?:will|can|could|would)|that (?:will|can|could|would))\s+(?:\w+\s+)?(?:fix|sort out|solve|clean up|untangle|rescue|save|turn around|sort|repair|overhaul|rebuild)\b/i;

function oneHireFixes(text: string): Assumption | null {
  const match = oneHirePattern.exec(text);
  if (!match) return null;
  const options = [
    'What exactly is wrong with it, and who decides about it today? One new hire inherits the priorities and habits that shaped it: what will they be able to change that your current team cannot?',
    'Which problem should the hire solve first, and who will back them when the fix needs other teams to change how they work?',
  ];
  return { kind: 'one_hire_fixes', phrase: match[0], challenge: pick(options, `${text}/onehire`) };
}

// ── decide_for_me ─────────────────────────────────────────────────────────────────────

/** The action of a yes/no "Should I/we …?" question, or the two options of an either/or one. */
function choiceIn(text: string): { action?: string; options?: [string, string] } {
  // "Option A: organise by product. Option B: organise by platform."
  const labelled =
    /\boption (?:a|1|one)\s*[:)-]\s*([^.?!;]{3,60}?)\s*[.;,]\s*(?:or\s+)?option (?:b|2|two)\s*[:)-]\s*([^.?!;]{3,60}?)\s*(?:[.?!;]|$)/i.exec(
      text,
    );
  if (labelled) return { options: [gerundPhrase(said(labelled[1]!)), gerundPhrase(said(labelled[2]!))] };
  for (const sentence of splitSentences(text)) {
    const either = /\bshould (?:i|we) ([^?.]{2,60}?),? or (?:should (?:i|we) )?([^?.]{2,60}?)\s*\?/i.exec(sentence);
    if (either) {
      const first = said(either[1]!);
      let second = said(either[2]!);
      // "promote Alex or Priya": the second option shares the first one's verb.
      const verb = /^\w+/.exec(first)?.[0] ?? '';
      if (!baseVerbs.has((/^\w+/.exec(second)?.[0] ?? '').toLowerCase())) second = `${verb} ${second}`;
      return { options: [gerundPhrase(first), gerundPhrase(second)] };
    }
    const yesNo =
      /^(?:(?:so|ok|okay|honestly|basically),?\s+)?should (?:i|we) ([^?]{2,80}?)\s*\?/i.exec(sentence) ??
      /\bshould (?:i|we) ([^?]{2,80}?)\s*\?$/i.exec(sentence);
    if (yesNo && !/^(?:be|feel)\b/i.test(yesNo[1]!)) {
      // "Should I stay, and if so how do I…": the action ends where the next question starts.
      const action = yesNo[1]!.split(/,\s*(?:and|or|but)\b|\s+(?:and|or)\s+(?=(?:if|how|what|why|when|where)\b)/i)[0]!;
      return { action: gerundPhrase(said(action)) };
    }
    const time = /\bis it (?:time|the right (?:call|move|time|decision)) to ([^?]{2,80}?)\s*\?/i.exec(sentence);
    if (time) return { action: gerundPhrase(said(time[1]!)) };
    const move = /\bis ([^?.]{3,60}) the right (?:move|call|decision|choice)\b/i.exec(sentence);
    if (move) return { action: said(move[1]!) };
  }
  return {};
}

function decideForMe(text: string): Assumption | null {
  const asked = askedDecision(text);
  if (!asked) return null;
  const choice = choiceIn(text);
  const options = choice.options
    ? [
        `What would have to be true for ${choice.options[0]} to be the better choice over ${choice.options[1]}, and which of those things do you already know?`,
        `What are you hoping to get from ${choice.options[0]} that ${choice.options[1]} wouldn't give you, and what would you lose?`,
      ]
    : choice.action
      ? [
          `What are you hoping ${choice.action} will change, and what would you need to see to know it was the right call?`,
          `What would have to be true for ${choice.action} to be the right move, and which of those things do you know today?`,
          `What problem is ${choice.action} meant to solve, and what would you try first if it were off the table?`,
        ]
      : [
          `What outcome matters most to you here, and what would you need to see to choose with confidence?`,
          `What are you trying to achieve, and what would make one option clearly better than the others for you?`,
        ];
  return { kind: 'decide_for_me', phrase: asked, challenge: pick(options, `${text}/decide`) };
}

// ── cut_team ───────────────────────────────────────────────────────────────────────────

/** Removing a whole team or function: "fire my whole QA team", "lay off the entire SRE group", "disband the platform squad". */
const cutTeamPattern =
  /\b(?:fire|firing|fired|lay(?:ing)? off|laid off|let go of|cut(?:ting)?|disband(?:ing)?|dissolv(?:e|ing)|eliminat(?:e|ing)|shut(?:ting)? down|get(?:ting)? rid of|outsourc(?:e|ing)|scrap(?:ping)?)\s+((?:the|my|our|an?|this|that)\s+(?:(?:whole|entire)\s+)?(?:[\w-]+\s+){0,2}?(?:team|group|department|function|org|organi[sz]ation|squad|division)s?|(?:all|all of|every one of)\s+(?:the|my|our)\s+(?:[\w-]+\s+){0,2}?(?:testers|engineers|contractors|qa|sres?|designers|analysts))\b/i;

function cutTeam(text: string): Assumption | null {
  const match = cutTeamPattern.exec(text);
  if (!match) return null;
  const group = said(match[1]!.trim());
  const options = [
    `What problem does removing ${group} solve, and who will catch what they catch today once they're gone?`,
    `What would change for everyone else the week after ${group} is gone, and what is that plan based on?`,
  ];
  return { kind: 'cut_team', phrase: match[0], challenge: pick(options, `${text}/cut-team`) };
}

// ── change_before_understanding ───────────────────────────────────────────────────────

/** A leader new to the role or the team: "I'm a new CTO", "I just joined as director", "starting Monday as VP". */
const newToRole =
  /\b(?:i'?m|i am|as) (?:the |a )?new (?:cto|vp|vpe|director|head|manager|engineering manager|tech lead|lead|leader|em)\b|\b(?:just |recently )?(?:joined|started|took over|came in) as\b|\b(?:just|recently) (?:joined|started|took over|became|inherited)\b|\b(?:starting|start|joined|joining) (?:on )?(?:monday|next week|this week|last week|as (?:the |a )?(?:new )?(?:cto|vp|director|head|manager|lead))\b/i;
/** Sweeping change straight away: "on day one", "at my first all-hands", "in my first week". */
const rightAway =
  /\b(?:on )?(?:day one|day 1|my first (?:day|week|all-?hands|meeting|team meeting|staff meeting)|the first (?:day|week)|first thing|right away|immediately|straight away|town ?halls?|all-?hands|offsite|kick-?off)\b/i;
const sweepingChange =
  /\b(?:change|changing|overhaul\w*|replace|replacing|scrap\w*|kill\w*|restructur\w*|reorg\w*|rewrite|rewriting|announce|announcing|roll out|rolling out|fix(?:ing)? (?:everything|all))\b/i;

function changeBeforeUnderstanding(text: string): Assumption | null {
  if (!newToRole.test(text) || !sweepingChange.test(text)) return null;
  // "…before I change anything": the leader means to learn first.
  if (/\b(?:before|without) (?:i |we )?(?:change|changing|mak\w+ (?:any )?changes|touch\w*)\b/i.test(text)) return null;
  const match = rightAway.exec(text);
  if (!match) return null;
  const options = [
    `What do you know yet about why these things are the way they are, and who could tell you before you change them?`,
    `What would you lose by listening for your first few weeks, and what would the team make of changes announced before you've asked them anything?`,
  ];
  return { kind: 'change_before_understanding', phrase: match[0], challenge: pick(options, `${text}/early`) };
}

// ── reorg_fixes ───────────────────────────────────────────────────────────────────────

const reorgPattern =
  /\b(?:need|needs|want|wants|plan(?:ning)?|going|time|have) (?:to )?(?:do )?(?:a |another )?(?:reorg|re-?organi[sz]e|re-?organi[sz]ation|restructur\w*)\b|\b(?:a |the )?(?:reorg|restructur\w*|re-?organi[sz]ation) (?:will|would|should|could|is going to) (?:fix|solve|help|sort)\b|\breorg(?:ani[sz]e)? (?:the|our|my) teams? (?:to|so)\b/i;

function reorgFixes(text: string): Assumption | null {
  const match = reorgPattern.exec(text);
  if (!match) return null;
  const options = [
    `What problem should the new structure solve (which handoffs or ownership gaps hurt today), and does the shape you have in mind follow how the product and its architecture divide?`,
    `What would be different the week after the reorg, and could a smaller change, such as moving one ownership boundary, get you most of that?`,
  ];
  return { kind: 'reorg_fixes', phrase: match[0], challenge: pick(options, `${text}/reorg`) };
}

// ── arbitrary_ratio ───────────────────────────────────────────────────────────────────

const ratioPattern =
  /\b(?:ratio|proportion|percentage|percent|share|split) of\b[^.?!]{0,50}?\b(?:infra\w*|platform|product|sres?|qa|test(?:ers|ing)?|security|devops)\b|\bone (?:sre|qa|platform engineer|infra(?:structure)? engineer|security engineer|tester)s? (?:per|for every) \w+|\b(?:industry|standard|typical|right|ideal|golden|healthy) (?:ratio|ratios|proportion|split)\b(?![^.?!]{0,30}\bmanagers?\b)|\bhow many (?:engineers|people) should (?:work on|be on|go to|sit in) (?:the )?(?:platform|infra\w*)/i;

function arbitraryRatio(text: string): Assumption | null {
  const match = ratioPattern.exec(text);
  if (!match) return null;
  const options = [
    `What problem is the ratio meant to settle, and which shared capabilities do your product teams depend on today?`,
    `Ratios borrowed from other companies describe their architecture, not yours: which parts of your product need shared platforms, and where are teams blocked for lack of one?`,
  ];
  return { kind: 'arbitrary_ratio', phrase: match[0], challenge: pick(options, `${text}/ratio`) };
}

// ── individual_metrics ────────────────────────────────────────────────────────────────

const individualMetricPattern =
  /\b(?:lines of code|commits? per|number of commits|story points per (?:engineer|person|dev\w*)|stack[- ]rank\w*|rank(?:ing)? (?:my|our|the|individual|each) (?:engineers|developers|devs|people)|individual (?:developer |engineer )?productivity|measure (?:each|every|individual) (?:engineer|developer|dev|person)|productivity of (?:each|every|individual) (?:engineer|developer|dev))\b/i;

function individualMetrics(text: string): Assumption | null {
  const match = individualMetricPattern.exec(text);
  if (!match) return null;
  const before = text.slice(Math.max(0, match.index - 30), match.index);
  if (/\b(?:without|not|never|avoid|don'?t want to|instead of)\b[^.?!]*$/i.test(before)) return null;
  const options = [
    `What decision will the number inform, and what will engineers start optimising once they know they're measured by it?`,
    `What are you trying to learn about the team that a per-person count would tell you, and what would it miss?`,
  ];
  return { kind: 'individual_metrics', phrase: match[0], challenge: pick(options, `${text}/metrics`) };
}

// ── short_term_fix ────────────────────────────────────────────────────────────────────

const shortTermPattern =
  /\b(?:work(?:ing)? (?:weekends|nights|evenings|every evening|every weekend|late|overtime)|mandatory overtime|crunch(?: time| mode)?|skip(?:ping)? (?:code reviews?|tests|testing|qa)|cut(?:ting)? corners|just (?:do )?a quick (?:fix|hack)|(?:ship|do|push) a quick (?:fix|hack)|just (?:patch|hack) it|death march|push(?:ing)? through)\b/i;

function shortTermFix(text: string): Assumption | null {
  const match = shortTermPattern.exec(text);
  if (!match) return null;
  const options = [
    `What will this cost in three months (burnout, quality, people leaving), and what's creating the pressure in the first place?`,
    `If this gets you past the next deadline, what happens to the one after it, and where is the pressure coming from?`,
  ];
  return { kind: 'short_term_fix', phrase: match[0], challenge: pick(options, `${text}/short`) };
}

// ── seek_validation ───────────────────────────────────────────────────────────────────

const validationPattern =
  /\b(?:am i (?:right|wrong|crazy|overreacting|being unreasonable)|isn'?t it (?:obvious|clear)|don'?t you (?:agree|think)|(?:tell|reassure) me (?:that )?(?:i'?m|i am|this is|it'?s) (?:right|doing|fine|ok|okay)|(?:that|this|it)(?:'s| is) (?:the right call|a good idea|the right thing),? (?:right|isn'?t it|yes)\b|(?:just )?(?:confirm|validate) (?:that|my|this)|i'?m (?:sure|certain|convinced) (?:that )?[^.?!]{3,80}(?:right|yes|correct)\s*\?)/i;

function seekValidation(text: string): Assumption | null {
  const match = validationPattern.exec(text);
  if (!match) return null;
  const options = [
    `What's the strongest argument against your view, and who on your team would make it?`,
    `If you turned out to be wrong about this, what would you expect to see first?`,
  ];
  return { kind: 'seek_validation', phrase: match[0], challenge: pick(options, `${text}/validate`) };
}

/**
 * What to look up about each assumption beside the question itself: the writing that speaks
 * to the problem behind it (a rewrite against an incremental migration, hiring against the
 * delay it carries), so an answer that questions the premise has sources for it.
 */
export const assumptionSearches: Partial<Record<AssumptionKind, string>> = {
  hire_more: 'adding engineers to a team that is falling behind: hiring has a long delay, reduce work in progress first',
  velocity_slow: 'measuring engineering velocity and developer productivity: where work waits, bottlenecks, lead time',
  rewrite: 'incremental migration instead of a full rewrite: paying down technical debt while still shipping',
  fire_someone: 'clear expectations and specific feedback about performance before deciding about someone’s job',
  cut_team: 'what a team does for the system around it, second-order effects of removing it, quality owned by the team',
  change_before_understanding: 'a new leader’s first 90 days: learn how things work and build trust before changing them',
  replace_one_on_ones: 'what one-on-ones are for beyond status updates: the report’s agenda, career, feedback, trust',
  promotion_as_cure: 'moving an engineer into management is a different job, not a promotion or a reward; burnout',
  staff_stop_coding: 'what staff engineers do day to day: the archetypes, how much they code, staying close to the code',
  best_engineer_to_manager: 'moving an engineer into management is a different job, not a promotion or a reward',
  cant_delegate: 'delegating to grow the team: sponsoring stretch work, the manager as a bottleneck, leverage',
  feedback_saved_for_review: 'feedback early and often, so that nothing in a performance review is a surprise',
  one_hire_fixes: 'what a staff engineer can change in an architecture, and hiring senior engineers',
  reorg_fixes: 'team structure and ownership boundaries: what a reorganisation fixes and what it moves',
  arbitrary_ratio: 'deriving the engineering organisation from the product architecture rather than ratios',
  individual_metrics: 'productivity metrics that punish individuals compared with team-level measures',
  short_term_fix: 'short-term fixes that feed a reinforcing loop: second-order effects',
};

/** Kinds that carry their own decision: with one of them, "decide for me" adds no new question. */
export const actionAssumptions: ReadonlySet<AssumptionKind> = new Set([
  'hire_more',
  'replace_one_on_ones',
  'promotion_as_cure',
  'staff_stop_coding',
  'best_engineer_to_manager',
  'cant_delegate',
  'feedback_saved_for_review',
  'one_hire_fixes',
  'rewrite',
  'fire_someone',
  'cut_team',
  'reorg_fixes',
  'arbitrary_ratio',
]);

/**
 * The assumptions the persona challenges rather than accepts ("we need to hire more",
 * "velocity is slow", "we need a rewrite", "should I fire…", a decision asked of Cairn, and
 * what the spec's "Challenge assumptions", "Think in systems" and "Be direct" imply:
 * a reorg as the fix, borrowed ratios, per-person metrics, short-term fixes, a request for
 * validation), most specific first. Each carries a question about the problem behind it,
 * worded for the situation; none endorses the assumption.
 */
export function recogniseAssumptions(question: string, context: ConversationContext): Assumption[] {
  const text = plain(question);
  const found = [
    hireMore(text),
    cutTeam(text),
    fireSomeone(text, context),
    rewrite(text),
    changeBeforeUnderstanding(text),
    replaceOneOnOnes(text),
    promotionAsCure(text),
    bestEngineerToManager(text),
    staffStopCoding(text),
    cantDelegate(text),
    feedbackSavedForReview(text),
    oneHireFixes(text),
    reorgFixes(text),
    arbitraryRatio(text),
    velocitySlow(text),
    individualMetrics(text),
    shortTermFix(text),
    seekValidation(text),
    decideForMe(text),
  ].filter((assumption): assumption is Assumption => assumption !== null);
  return found;
}
