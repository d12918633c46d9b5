import { numberWordPattern, parseNumber, plain, splitSentences } from './text-tools.js';
import type {
  CompanyStage,
  ConstraintKind,
  ConversationContext,
  PolicyTurn,
  Relation,
  Role,
  RoleFact,
  SizeFact,
  SizeScope,
  SizeUnit,
  StatedFact,
  TriedKind,
} from './types.js';

// ── Sizes ──────────────────────────────────────────────────────────────────────────────

const approx = String.raw`(?:(?:about|around|roughly|nearly|almost|over|under|just over|just under|some|~|approximately|close to)\s*)?`;
const groupNoun = String.raw`(team|org|organi[sz]ation|company|startup|group|department|squad|business|shop|engineering org|eng org|engineering team|eng team|engineering organi[sz]ation|division)`;

/** "a 60-person org", "a three-person team", "200 person company". */
const sizedGroup = new RegExp(
  String.raw`\b${approx}(${numberWordPattern})\+?[\s-]+(?:person|people|engineer|dev|developer|member|head|strong)\b(?:[\s-]+(?:(?!and\b|but\b|with\b)[a-z]+\s+){0,3}?${groupNoun}s?\b)?`,
  'gi',
);
/** "120 engineers", "six teams", "12 direct reports", "400 staff". */
const countedUnit = new RegExp(
  String.raw`\b${approx}(${numberWordPattern})\+?\s+(?:(?:full-time|fte|software|product|backend|frontend|mobile|infra(?:structure)?|platform|sre|qa|direct|engineering|product engineering)\s+)?(engineers?|devs?|developers?|people|folks|employees|ics|reports|teams|squads|managers|ems|members|staff|heads|sres)\b`,
  'gi',
);
/** "a team of 8", "an org of 200 engineers", "headcount of 40". */
const groupOf = new RegExp(
  String.raw`\b(teams?|org|organi[sz]ation|company|group|department|squad|headcount)\s+of\s+${approx}(${numberWordPattern})(?:\s+(engineers?|people|devs?|developers?|folks))?\b`,
  'gi',
);
/** "a small team", "a large org", "a tiny startup". */
const describedGroup =
  /\b(small|tiny|large|big|huge|mid-?sized|medium-?sized|lean|massive)\s+(team|org|organi[sz]ation|company|startup|group|department|engineering team|eng team|engineering org)\b/gi;

function scopeOfNoun(noun: string): SizeScope {
  if (/company|startup|business|shop/i.test(noun)) return 'company';
  if (/org|department|division|eng/i.test(noun)) return 'org';
  return 'team';
}

function unitOf(word: string): SizeUnit {
  const lower = word.toLowerCase();
  if (/^(engineers?|devs?|developers?|ics|sres)$/.test(lower)) return 'engineers';
  if (/^(teams|squads)$/.test(lower)) return 'teams';
  if (/^(managers|ems)$/.test(lower)) return 'managers';
  if (lower === 'reports') return 'reports';
  return 'people';
}

function sizesIn(sentence: string, turn: number): SizeFact[] {
  const sizes: SizeFact[] = [];
  const add = (phrase: string, count: number | null, unit: SizeUnit, scope: SizeScope): void => {
    if (sizes.some((size) => size.phrase.includes(phrase) || phrase.includes(size.phrase))) return;
    sizes.push({ kind: scope, phrase, count, unit, source: sentence, turn });
  };
  for (const match of sentence.matchAll(sizedGroup)) {
    if (isCorrected(sentence, match.index)) continue;
    // "a 40-person series B": no group named, the size of the company or org the user speaks for.
    add(match[0].trim(), parseNumber(match[1]!), 'people', match[2] ? scopeOfNoun(match[2]) : 'org');
  }
  for (const match of sentence.matchAll(groupOf)) {
    if (isCorrected(sentence, match.index)) continue;
    const noun = match[1]!.toLowerCase();
    const unit = match[3] ? unitOf(match[3]) : noun === 'headcount' ? 'people' : 'people';
    add(match[0].trim(), parseNumber(match[2]!), unit, noun === 'headcount' ? 'org' : scopeOfNoun(noun));
  }
  for (const match of sentence.matchAll(countedUnit)) {
    const before = sentence.slice(Math.max(0, match.index - 24), match.index).toLowerCase();
    const after = sentence.slice(match.index + match[0].length, match.index + match[0].length + 14).toLowerCase();
    // A plan ("hire five engineers"), a part ("two of my engineers") or a role ("two staff engineers") is not a size.
    if (
      /\b(hire|hiring|hired|add|adding|another|extra|recruit|recruiting|lose|losing|lost|need|needs|want|wants|interview|interviewed)\s+$/.test(
        before,
      )
    )
      continue;
    if (/^\s*more\b/.test(after)) continue;
    if (match[2]!.toLowerCase() === 'staff' && /^\s*(engineer|eng)/.test(after)) continue;
    if (isCorrected(sentence, match.index)) continue;
    const count = parseNumber(match[1]!);
    if (count === null || count > 1_000_000) continue;
    const unit = unitOf(match[2]!);
    const followingNoun =
      /^\s*(?:in|on|across|at)?\s*(?:the|my|our|a|an|this)?\s*(team|org|organi[sz]ation|company|startup|department|group)\b/.exec(after);
    const scope: SizeScope =
      unit === 'teams' || unit === 'managers'
        ? 'org'
        : unit === 'reports'
          ? 'team'
          : followingNoun
            ? scopeOfNoun(followingNoun[1]!)
            : count >= 15
              ? 'org'
              : 'team';
    add(match[0].trim(), count, unit, scope);
  }
  for (const match of sentence.matchAll(describedGroup)) {
    add(match[0].trim(), null, 'people', scopeOfNoun(match[2]!));
  }
  return sizes;
}

/** "80 engineers, not 60": the number after "not" is a correction, not a size. */
function isCorrected(sentence: string, index: number): boolean {
  return /\b(?:not|no longer|used to be|was|were)\s+$/i.test(sentence.slice(Math.max(0, index - 14), index));
}

// ── Company stage ──────────────────────────────────────────────────────────────────────

const stages: [RegExp, CompanyStage][] = [
  [/\b(?:pre-?seed|seed[- ](?:stage|round|funded)|at seed)\b/i, 'early'],
  [/\bseries [ab]\b/i, 'early'],
  [/\bseries [c-f]\b/i, 'growth'],
  [/\bearly[- ]stage\b/i, 'early'],
  [
    /\b(?:scale-?up|hyper-?growth|growth[- ]stage|(?:scaling|growing|doubling) (?:fast|quickly|rapidly|every year)|doubled in size)\b/i,
    'growth',
  ],
  [/\b(?:late[- ]stage|pre-?ipo)\b/i, 'late'],
  [/\b(?:public company|publicly[- ]traded|post-?ipo|went public|listed company|ipo'?d)\b/i, 'public'],
  [
    /\b(?:enterprise company|large enterprise|an enterprise|big tech|faang|fortune \d+|established company|(?:\d+|ten|twenty|thirty)[- ]year[- ]old (?:company|business|bank|firm)|multinational|large company|big company|large corporation|government agency|a bank)\b/i,
    'established',
  ],
  [/\bstart-?up\b/i, 'startup'],
];

// ── Roles ──────────────────────────────────────────────────────────────────────────────

const roleTerms: [string, Role][] = [
  [String.raw`cto|chief technology officer|chief technical officer`, 'cto'],
  [String.raw`vp(?: of)?(?: eng(?:ineering)?)?|vpe|vice president(?: of engineering)?`, 'vp'],
  [String.raw`head of (?:engineering|eng|platform|infrastructure|infra|product engineering)`, 'head_of_engineering'],
  [String.raw`(?:senior |engineering )?director(?: of engineering)?`, 'director'],
  [String.raw`(?:co-?)?founder`, 'founder'],
  [String.raw`manager of managers|senior (?:engineering )?manager|second-line manager`, 'manager_of_managers'],
  [String.raw`(?:senior )?staff(?:\+| plus|-plus)?(?: software)? engineer|staff eng|staff-level engineer`, 'staff_engineer'],
  [String.raw`(?:senior )?principal(?: software)?(?: engineer)?|distinguished engineer|architect`, 'principal_engineer'],
  [String.raw`tech(?:nical)? lead(?: manager)?|tlm|team lead`, 'tech_lead'],
  [String.raw`(?:engineering |eng |software |line |people |dev(?:elopment)? )?manager|em`, 'engineering_manager'],
  [
    String.raw`senior (?:software |backend |frontend |full-?stack |mobile )?(?:engineer|eng|swe)|senior ic|senior individual contributor|senior dev(?:eloper)?`,
    'senior_engineer',
  ],
  [String.raw`(?:software )?engineer|developer|ic|individual contributor`, 'engineer'],
];

const roleAlternation = roleTerms.map(([pattern]) => `(?:${pattern})`).join('|');
const newness = String.raw`(?:new|newly promoted|newly minted|recently promoted|first-time|incoming|interim|acting|first|brand new)`;
const roleStatement = new RegExp(
  String.raw`\b(i'?m|i am|i was|as|i work as|working as|i'?ve been|i have been|i just became|i became|i'?ll be|i will be|i'?m now|i am now|promoted to|(?:just )?started as|start as|starting as|joined as|joining as|hired as|taking over as|about to become|becoming|stepping into the role of|my role as|moving into)\s+(?:a |an |the |our |their |my )?(?:(?:only|sole|current|lone|de facto)\s+)?(?:${newness}\s+)?(${roleAlternation})\b(?!['’]s)`,
  'gi',
);

function roleOf(term: string): Role {
  for (const [pattern, role] of roleTerms) if (new RegExp(`^(?:${pattern})$`, 'i').test(term)) return role;
  return 'engineer';
}

const newRole =
  /\b(new|newly|first-time|just (?:became|started|joined|been promoted)|about to|starting|start as|joined|joining|taking over|stepping into|incoming|promoted|becoming|i'?ll be|first (?:90|ninety|few|30|60) days|interim|acting)\b/i;

function roleIn(sentence: string, turn: number): RoleFact | undefined {
  let found: RoleFact | undefined;
  for (const match of sentence.matchAll(roleStatement)) {
    const term = match[2]!;
    // "as a team", "as an engineering org": only roles count; "as the company grows" never matches.
    const role = roleOf(term.trim());
    // "I was a manager" is history, not the current role, unless nothing else is said.
    if (/^i was$/i.test(match[1]!) && found) continue;
    found = { kind: role, phrase: match[0].trim(), source: sentence, turn, isNew: newRole.test(match[0]) || newRole.test(sentence) };
  }
  if (found) return found;
  // "New CTO here", "EM here": the role said as a greeting.
  const greeting = new RegExp(String.raw`(?:^|[.!,;(]\s*)(?:(?:a|the)\s+)?((?:${newness})\s+)?(${roleAlternation})\s+here\b`, 'i').exec(
    sentence,
  );
  if (greeting)
    return {
      kind: roleOf(greeting[2]!.trim()),
      phrase: greeting[0].replace(/^[.!,;(]\s*/, '').trim(),
      source: sentence,
      turn,
      isNew: Boolean(greeting[1]),
    };
  // Implied by what the user manages.
  if (
    /\b(?:i (?:manage|lead|run|oversee) (?:\w+ )?(?:managers|directors)|my (?:managers|directors|eng(?:ineering)? managers)\b|managers (?:who )?report(?:ing)? to me)/i.test(
      sentence,
    )
  )
    return {
      kind: /directors/i.test(sentence) ? 'vp' : 'manager_of_managers',
      phrase: 'managers report to you',
      source: sentence,
      turn,
      isNew: newRole.test(sentence),
    };
  const manages =
    /\b(?:i (?:manage|lead|run) (?:a |the |an |my )?(?:\w+ )?(?:team|engineers|people|devs|developers|squad)|my (?:own )?(?:direct )?reports\b|reports? to me\b|my team'?s? (?:manager|lead) is me|(?:should i|do i|to) (?:promote|fire|let go of|put on a pip) (?:him|her|them|one|either|[A-Z][a-z]+)|\b(?:one of )?my (?:own )?(?:senior |staff |junior |principal |new |best |strongest |most senior )?(?:engineers?|reports?|tech leads?|team leads?|devs?|developers?|staff engineers?|principal engineers?|new hires?)\b|\b(?:\w+ )on my team\b)/i.exec(
      sentence,
    );
  if (manages) return { kind: 'engineering_manager', phrase: manages[0], source: sentence, turn, isNew: newRole.test(sentence) };
  return undefined;
}

// ── Constraints ────────────────────────────────────────────────────────────────────────

const months = 'january|february|march|april|may|june|july|august|september|october|november|december';
const constraintPatterns: [ConstraintKind, RegExp][] = [
  [
    'headcount_freeze',
    /\b(?:hiring freeze|headcount freeze|frozen headcount|no (?:new |more )?headcount|can'?t hire|cannot hire|not allowed to hire|no budget (?:for|to) hire|no open (?:roles|reqs)|can'?t add (?:people|engineers|headcount))\b/i,
  ],
  [
    'budget',
    /\b(?:budget|no money|cost[- ]cutting|cut(?:ting)? costs?|tight on (?:money|cash)|runway|cloud (?:bill|spend|costs?)|finance (?:wants|is|team|suddenly|has|cares)|spend(?:ing)? (?:freeze|cuts?)|cost pressure)\b/i,
  ],
  [
    'deadline',
    new RegExp(
      String.raw`\b(?:deadline|due date|launch date|by (?:next|the end of (?:the )?|end of (?:the )?)(?:week|month|quarter|year|sprint)|by (?:q[1-4]|${months}|monday|friday|the launch)|in (?:two|three|four|six|a couple of|a few|\d+) (?:weeks|days|months)|next (?:week|month)|before (?:the )?launch|end of (?:the )?quarter|date is (?:fixed|set|already decided))\b`,
      'i',
    ),
  ],
  ['layoffs', /\b(?:layoffs?|laid off|lay off|reduction in force|rif|downsiz\w*)\b/i],
  [
    'remote',
    /\b(?:fully remote|remote[- ]first|remote|distributed team|distributed|hybrid|time ?zones?|offshore|across (?:\w+ )?(?:countries|continents|offices))\b/i,
  ],
  ['compliance', /\b(?:regulated|regulation|regulatory|compliance|soc ?2|hipaa|gdpr|pci|audit|fedramp)\b/i],
  [
    'no_authority',
    /\b(?:no (?:formal )?authority|without (?:formal )?authority|not my (?:reports?|team)|(?:don'?t|doesn'?t) report to me|isn'?t my report|no direct reports|can'?t (?:make|force) (?:them|him|her))\b/i,
  ],
  [
    'time',
    /\b(?:no time|limited time|stretched thin|part[- ]time|on top of (?:my|our) (?:day job|other work)|no bandwidth|little bandwidth)\b/i,
  ],
  ['on_call', /\b(?:on-?call|pager rotation|pager|paged)\b/i],
];

// ── What has been tried ────────────────────────────────────────────────────────────────

const nothingTried =
  /\b(?:(?:haven'?t|have not|not yet|never) (?:really )?(?:tried|done|attempted) (?:anything|much)|nothing (?:yet|so far)|haven'?t tried|haven'?t done anything|not tried anything)\b/i;
const attemptVerbs = String.raw`tried|attempted|experimented with|introduced|added|gave|given|told|talked to|talked with|spoke to|spoke with|spoken to|spoken with|raised|brought (?:it|this|that) up|mentioned|hinted|asked|offered|suggested|coached|paired|set up|started (?:doing|using|running|holding|requiring|having|pairing|weekly)|switched|moved to|rolled out|implemented|ran|hired|reorgani[sz]ed|split|merged|escalated|documented|proposed|shared|piloted|put (?:him|her|them) on|created|held|adopted|instituted|banned|mandated|cancell?ed|cut|reduced|increased|doubled|pushed`;
const triedPatterns: RegExp[] = [
  new RegExp(
    String.raw`\b(?:i|we)(?:'ve| have| had)?\s+(?:already |also |recently |repeatedly |previously |even |just |briefly |once |twice |finally )?(?:${attemptVerbs})\b`,
    'i',
  ),
  /\b(?:i|we)(?:'ve| have)\s+been\s+(?:trying|giving|telling|asking|pushing|doing|running|using|holding|coaching|pairing|experimenting)\b/i,
  /\b(?:didn'?t|did not|hasn'?t|has not|haven'?t|have not|never)\s+(?:really\s+)?(?:work|worked|help|helped|stick|stuck|land|landed|change|changed|improve|improved)\b/i,
  /\b(?:last|this) (?:quarter|year|month|sprint|week),? (?:i|we)\b/i,
  // What has not been done is known too: "We haven't offered any migration help."
  /\b(?:i|we)\s+(?:haven'?t|have not|never|didn'?t|did not)\s+(?:yet\s+)?(?:offered|given|provided|set up|talked to|spoken to|asked|told|raised|tried|run|held|shared|written|documented)\b/i,
];

// ── People involved ────────────────────────────────────────────────────────────────────

const relationTerms: [string, Relation][] = [
  [
    String.raw`tech(?:nical)? leads?|tls?|lead engineers?|team leads?|(?:backend|frontend|mobile|data|platform|infra|qa|api|web|ios|android) leads?`,
    'tech_lead',
  ],
  [String.raw`skip[- ]levels?|skip`, 'skip_level'],
  [String.raw`(?:direct )?reports?`, 'report'],
  [String.raw`managers|eng(?:ineering)? managers|ems`, 'report'],
  [String.raw`manager|boss|line manager|eng(?:ineering)? manager|em`, 'manager'],
  [String.raw`peers?|colleagues?|co-?workers?|counterparts?|product counterpart`, 'peer'],
  [String.raw`ceo|cto|cfo|coo|vps?|execs?|executives?|leadership team|board|head of \w+`, 'executive'],
  [String.raw`directors?`, 'director'],
  [String.raw`staff engineers?|principal engineers?|principals?|staff\+? engineers?`, 'staff_engineer'],
  [String.raw`senior engineers?|seniors|senior ics?|senior devs?|senior developers?`, 'senior_engineer'],
  [String.raw`new hires?|new joiners?|new engineers?`, 'new_hire'],
  [String.raw`pms?|product managers?|product owners?|product leads?`, 'product_manager'],
  [String.raw`designers?`, 'designer'],
  [String.raw`candidates?`, 'candidate'],
  [String.raw`co-?founders?`, 'cofounder'],
  [String.raw`engineers?|devs?|developers?|ics?|juniors?|junior engineers?`, 'engineer'],
];
const relationAlternation = relationTerms.map(([pattern]) => `(?:${pattern})`).join('|');
const adjectives = String.raw`(?:(?:own|new|best|strongest|most senior|top|former|previous|star|remote|quiet|struggling|newest|only|other|talented)\s+)?`;
const possessed = new RegExp(
  String.raw`\b((?:one|two|three|some|a few|several|both|all|each|most) of (?:my|our) |my |our )${adjectives}(${relationAlternation})\b`,
  'gi',
);
const articled = new RegExp(
  String.raw`\b(a |an |the |another )${adjectives}(peer|colleague|co-?worker|candidate|new hire|junior engineer|senior engineer|report|direct report|ceo|cto|board|staff engineer|principal engineer|principals|tech lead|product manager|pm|designer)\b`,
  'gi',
);
const onMyTeam =
  /\b(?:a|an|one|someone|somebody|one person|a woman|a man|an engineer|a senior engineer|a junior engineer|a talented engineer|a new hire|a member)(?: \w+)? on (?:my|our) team\b/gi;

function relationOf(term: string): Relation {
  for (const [pattern, relation] of relationTerms) if (new RegExp(`^(?:${pattern})$`, 'i').test(term)) return relation;
  return 'engineer';
}

function peopleIn(sentence: string, turn: number): StatedFact<Relation>[] {
  const people: StatedFact<Relation>[] = [];
  const add = (relation: Relation, phrase: string): void => {
    if (!people.some((person) => person.phrase.toLowerCase() === phrase.toLowerCase()))
      people.push({ kind: relation, phrase, source: sentence, turn });
  };
  for (const match of sentence.matchAll(possessed)) {
    const term = match[2]!;
    // "my team" is a size or a scope, not a person; "our engineering org" neither.
    add(relationOf(term), match[0].trim());
  }
  for (const match of sentence.matchAll(articled)) {
    // "I'm a senior engineer", "as a tech lead": the user's role, not someone else.
    if (/\b(?:i'?m|i am|i was|i'?ve been|i have been|as|become|becoming|became)\s+$/i.test(sentence.slice(0, match.index))) continue;
    add(relationOf(match[2]!), match[0].trim());
  }
  for (const match of sentence.matchAll(onMyTeam)) add('report', match[0].trim());
  // Someone named ("letting Dave go", "promote Priya or Sam"): a name where a person is acted on or spoken of.
  for (const match of sentence.matchAll(namedPerson)) {
    const name = match[1]!;
    if (!notNames.has(name.toLowerCase())) add('report', name);
  }
  return people;
}

/** A capitalised first name after a verb or preposition that takes a person ("fire Dave", "talk to Priya"). */
const namedPerson =
  /\b(?:let|letting|fire|firing|promote|promoting|promoted|tell|told|telling|coach|coaching|mentor|mentoring|sponsor|sponsoring|manage|managing|hire|hired|move|moved|moving|with|about|to|for|between|and|or|is|was|report|engineer|lead|manager|dev|developer|designer|pm|colleague|peer|boss)\s+([A-Z][a-z]{2,})\b(?!['’]s\b)(?=\s+(?:go|to|or|and|is|was|has|had|keeps?|kept|seems?|gets?|got|as|from|on|in|at|because|who|for|but|about|over|after|since|before|into|yet|again|today|yesterday|last|this|next|recently|directly|that|if|when|whether|so|\w*ed|\w+s)\b|\s*[,.?!]|$)/g;
/** Capitalised words that are not people's names. */
const notNames = new Set(
  'the this that our my your their his her its monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december product engineering design sales finance marketing legal support platform infra infrastructure security data mobile backend frontend staff senior junior principal director manager google amazon meta apple microsoft netflix uber stripe slack jira github gitlab kubernetes kafka flutter rails python java go rust react node aws gcp azure series team teams eng'.split(
    ' ',
  ),
);

// ── Reading the conversation ───────────────────────────────────────────────────────────

/** The clause around a match: from it to the end of its clause, at most a dozen words. */
function clauseFrom(sentence: string, index: number): string {
  const rest = sentence.slice(index).split(/[,;:.?!]|\s+but\s+/)[0] ?? '';
  return rest.split(/\s+/).slice(0, 12).join(' ').trim();
}

/** Upserts `fact` into `list`, keyed by `key`: a later turn's fact replaces an earlier one. */
function upsert<T extends StatedFact>(list: T[], fact: T, key: (fact: T) => string): void {
  const index = list.findIndex((existing) => key(existing) === key(fact));
  if (index >= 0) list.splice(index, 1);
  list.push(fact);
}

/** A conversation in which the user has told nothing yet. */
export function emptyContext(): ConversationContext {
  return {
    size: undefined,
    sizes: [],
    stage: undefined,
    role: undefined,
    constraints: [],
    tried: [],
    people: [],
    earlierQuestions: [],
    earlierAnswers: [],
  };
}

/**
 * What the user has told across the conversation, from their own turns only (Cairn's
 * answers are never read as facts): team or org size, company stage, their role,
 * constraints, what has been tried and the people involved, each with the sentence it came
 * from. The current question is read last, so a later statement updates an earlier one
 * ("actually we're 80 engineers now").
 */
export function readContext(turns: readonly PolicyTurn[], question: string): ConversationContext {
  const context: ConversationContext = {
    ...emptyContext(),
    earlierQuestions: turns.map((turn) => plain(turn.question)),
    earlierAnswers: turns.map((turn) => turn.answer ?? '').filter(Boolean),
  };
  const messages = [...turns.map((turn) => turn.question), question];
  messages.forEach((message, turn) => {
    for (const sentence of splitSentences(message)) {
      for (const size of sizesIn(sentence, turn)) {
        // "We're 250 people now" (no group named) updates the last size counted the same way.
        const named = /team|org|organi[sz]ation|company|startup|group|department|squad|business|division|headcount/i.test(size.phrase);
        const earlier = named ? undefined : [...context.sizes].reverse().find((fact) => fact.unit === size.unit);
        const fact = earlier ? { ...size, kind: earlier.kind } : size;
        if (earlier) context.sizes.splice(context.sizes.indexOf(earlier), 1);
        upsert(context.sizes, fact, (known) => `${known.kind}/${known.unit}`);
        context.size = fact;
      }
      const stage = stages.find(([pattern]) => pattern.test(sentence));
      if (stage) context.stage = { kind: stage[1], phrase: stage[0].exec(sentence)![0], source: sentence, turn };
      const role = roleIn(sentence, turn);
      if (role) context.role = role;
      for (const [kind, pattern] of constraintPatterns) {
        const match = pattern.exec(sentence);
        if (match)
          upsert(
            context.constraints,
            { kind, phrase: clauseFrom(sentence, match.index) || match[0], source: sentence, turn },
            (fact) => fact.kind,
          );
      }
      const nothing = nothingTried.exec(sentence);
      if (nothing) {
        upsert(context.tried, { kind: 'nothing' as TriedKind, phrase: nothing[0], source: sentence, turn }, (fact) => fact.kind);
      } else {
        for (const pattern of triedPatterns) {
          const match = pattern.exec(sentence);
          if (!match) continue;
          // A question about trying ("should we try pairing?") is not something tried.
          if (/^\s*(?:should|could|can|would|shall)\b/i.test(sentence)) continue;
          const phrase = clauseFrom(sentence, match.index);
          const tried = context.tried.filter((fact) => fact.kind !== 'nothing');
          if (!tried.some((fact) => fact.phrase === phrase)) context.tried = [...tried, { kind: 'tried', phrase, source: sentence, turn }];
          break;
        }
      }
      for (const person of peopleIn(sentence, turn)) upsert(context.people, person, (fact) => fact.phrase.toLowerCase());
    }
  });
  return context;
}

/** Whether the context holds the kind of fact (the persona never asks about what it was told). */
export function hasFact(context: ConversationContext, kind: 'size' | 'stage' | 'role' | 'constraints' | 'tried' | 'people'): boolean {
  switch (kind) {
    case 'size':
      return context.sizes.length > 0;
    case 'stage':
      return context.stage !== undefined;
    case 'role':
      return context.role !== undefined;
    case 'constraints':
      return context.constraints.length > 0;
    case 'tried':
      return context.tried.length > 0;
    case 'people':
      return context.people.length > 0;
  }
}

/** The facts as short lines, in the second person, for a prompt or a log. */
export function describeContext(context: ConversationContext): string[] {
  const lines: string[] = [];
  if (context.sizes.length > 0) lines.push(`Size: ${context.sizes.map((size) => size.phrase).join('; ')}`);
  if (context.stage) lines.push(`Company stage: ${context.stage.kind} ("${context.stage.phrase}")`);
  if (context.role)
    lines.push(`Their role: ${context.role.kind.replace(/_/g, ' ')}${context.role.isNew ? ' (new to it)' : ''} ("${context.role.phrase}")`);
  for (const constraint of context.constraints) lines.push(`Constraint (${constraint.kind.replace(/_/g, ' ')}): "${constraint.phrase}"`);
  for (const tried of context.tried) lines.push(tried.kind === 'nothing' ? 'Tried: nothing yet' : `Tried: "${tried.phrase}"`);
  for (const person of context.people) lines.push(`Person involved (${person.kind.replace(/_/g, ' ')}): "${person.phrase}"`);
  return lines;
}
