/**
 * What a thought partner for engineering leadership must not stand in for, or give away:
 * a professional's advice (law, health, personal money), someone's private information, a
 * voice that is not its own (signing as, or speaking as, one of the authors), and its own
 * instructions or secrets. Each is read from the question's words; a leadership question
 * with a legal or health side ("can I legally let her go while she is on medical leave?") is
 * still answered, with that side sent to the people who can answer it (see `professionalSide`).
 */

/**
 * The professions whose advice Cairn does not give; `crisis` is someone who may be thinking of
 * ending their life, where what to do now comes before any leadership question.
 */
export type Profession = 'crisis' | 'legal' | 'medical' | 'financial';

/** Words after "suicide" or "self-harm" that make it a subject of work (a feature, a policy, content to moderate), not a person's crisis. */
const asSubject = String.raw`(?![-\s]+(?:prevention|hotlines?|awareness|risk[-\s](?:triage|models?|scor\w*|classifiers?|detection)|triage|detection|detectors?|content|videos?|posts?|images?|material|messages?|classifiers?|filters?|features?|polic(?:y|ies)|moderation|keywords?|terms?|resources?|training|data(?:set)?s?|signals?|flags?|reports?|queues?|reviews?|rates?|statistics|research|studies|squad|mission)\b)`;
/** "Suicidal" said of a plan, a move or a deadline (a bet that would ruin the company), not of a person. */
const aboutAThing = String.raw`(?<!\b(?:move|moves|plan|plans|idea|ideas|decision|strategy|migration|deadline|timeline|schedule|project|roadmap|rewrite|launch|architecture|approach|bet|pricing|change|it|that|this)\b[^.?!]{0,50})`;

/**
 * Words that tell of someone thinking of ending their life or harming themselves. Idioms that
 * only borrow the words ("career suicide", "the team would be better off without him") are not.
 */
const crisis = new RegExp(
  [
    String.raw`\b(?:call(?:ed|ing|s)?|text(?:ed|ing|s)?|contact(?:ed|ing|s)?|phon(?:ed|ing|es)|rang|ring(?:ing)?) (?:a|the) (?:suicide|crisis) (?:hotline|line|lifeline|helpline)\b`,
    String.raw`${aboutAThing}\b(?<!(?:career|political|professional|social|commercial|brand|product|corporate)[\s-])suicid(?:e|es|al|ality)\b${asSubject}`,
    String.raw`\bkill(?:s|ed|ing)? (?:my|him|her|them|your|one)sel(?:f|ves)\b`,
    String.raw`\b(?:end|ends|ending|ended|take|takes|taking|took) (?:my|his|her|their|your) (?:own )?life\b`,
    String.raw`\b(?:want(?:s|ed)? to|going to|thinking (?:of|about)|think about|talk(?:s|ed)? about|feel(?:s|ing)? like|might|could) end(?:ing)? it all\b(?![-\w]|\s+(?:with|and (?:go|move|start|switch|roll|revert|rewrite|rebuild|migrate))\b)`,
    String.raw`\bself[- ]?harm(?:ing)?\b${asSubject}`,
    String.raw`\b(?:harm|cut)(?:s|ed|ing|ting)? (?:my|him|her|them|your)sel(?:f|ves)\b`,
    String.raw`\b(?:do(?:es)?n'?t|do(?:es)? not|can'?t|cannot|no longer|not) see (?:the|any|a) (?:point|reason) (?:in|of|to|for) (?:going on|living|carrying on|being (?:here|alive)|life|anything anymore)\b`,
    String.raw`\b(?:no|any) (?:reason|point) (?:to|in) (?:live|living|go on|going on|keep going)\b`,
    String.raw`\b(?:do(?:es)?n'?t|do(?:es)? not|can'?t|cannot|no longer) see the point (?:of|in) (?:anything|any of it|life)\b`,
    String.raw`\bbetter off (?:dead|without me)\b`,
    String.raw`\bwant(?:s|ed|ing)? to die\b`,
    String.raw`\b(?:do(?:es)?n'?t|do(?:es)? not) want to (?:be alive|live anymore|wake up)\b`,
    // Said without the words: wishing not to wake up, a way out looked up, a painless way to go, belongings given away.
    String.raw`\b(?:just )?not wak(?:e|ing) up\b(?!\s+(?:at|for|to|in time|early|when|until|before|during|on time))`,
    String.raw`\b(?:looking up|looked up|researching|searching|googling|reading about|thinking about) (?:ways|how) to (?:end it|die|disappear for good|not be here)\b`,
    String.raw`\b(?:most )?painless way to (?:go|die|end it)\b`,
    String.raw`\b(?:easier|better) (?:to|if i) (?:just )?(?:swerve|drive|veer|crash)\w* (?:into|off)\b`,
    String.raw`\bgiv(?:e|es|ing|en) (?:all )?(?:my|his|her|their) (?:stuff|things|belongings|possessions) away\b`,
    // The warning signs crisis lines list, said in a message: belongings given away, letters to family, a goodbye, being
    // a burden, disappearing for good, looking down from a bridge.
    String.raw`\bgiv(?:e|es|ing|en)\s+away\s+(?:a lot of |all (?:of )?|most (?:of )?|some of )?(?:my|his|her|their)\s+(?:stuff|things|belongings|possessions)\b`,
    String.raw`\bwr(?:ote|ites|iting|itten|ite) (?:goodbye )?letters? to (?:my|his|her|their) (?:kids|children|family|wife|husband|partner|parents)\b`,
    String.raw`\b(?:it was )?nice knowing (?:you|everyone|y'?all|you all)\b`,
    String.raw`\bthanks for everything\b[\s\S]{0,200}\b(?:not answering|isn'?t answering|won'?t answer|not picking up|went (?:offline|silent|dark)|can'?t reach (?:him|her|them))\b`,
    String.raw`\b(?:won'?t|will not|not going to) be (?:your|a|anyone'?s) (?:problem|burden) (?:much|for much|any) longer\b|\bbetter off (?:with the (?:life )?insurance|if i (?:were|was) gone|without (?:him|her|them) around)\b|\b(?:i'?m|i am|i feel like) (?:just )?a burden (?:to|on) (?:everyone|my|them)\b`,
    String.raw`\bdisappear(?:ed|ing)? (?:for good|forever|permanently)\b`,
    String.raw`\b(?:bridge|ledge|rooftop|roof|tracks|platform edge)\b[^.?!]{0,60}\b(?:staring|stare|looking|look) down\b|\b(?:staring|stare|looking|look) down\b[^.?!]{0,40}\b(?:from|off) the (?:bridge|ledge|roof)\b`,
    // "doesn't want to be around anymore": not here, at this job, but at all.
    String.raw`\b(?:do(?:es)?n'?t|do(?:es)? not|no longer) want(?:s)? to be around (?:any ?more|much longer)\b`,
  ].join('|'),
  'i',
);
/** Someone other than the user: the sentence that tells of the crisis speaks of him, her or them. */
const thirdPerson =
  /\b(?:he|she|they|him|her|them|his|hers|their|himself|herself|themselves|someone|somebody|colleague|engineer|report|teammate|employee)\b/i;

/**
 * Whether the question tells of someone who may be thinking of ending their life: `self`
 * when it is the user, `other` when it is someone they know (a report, a colleague), else null.
 */
export function crisisOf(question: string): 'self' | 'other' | null {
  const match = crisis.exec(question);
  if (!match) return null;
  const sentence =
    question
      .slice(0, match.index + match[0].length)
      .split(/(?<=[.!?])\s+/)
      .at(-1) ?? '';
  return thirdPerson.test(sentence) ? 'other' : 'self';
}

const legal =
  /\b(?:legally|(?:is|was|would|be) (?:it |this |that )?(?:even )?legal|legal (?:advice|risks?|liability|rights?|requirements?|obligations?|to)|illegal(?:ly)?|unlawful(?:ly)?|lawsuits?|sue|sued|suing|lawyers?|attorneys?|employment law|labou?r laws?|wrongful(?:ly)? (?:terminat\w*|dismiss\w*|fir\w*)|(?:discrimination|harassment|retaliation) (?:claims?|suits?|cases?)|harass(?:ed|es|ing|ment)|sexual(?:ly)? (?:harass\w*|misconduct|assault\w*)|discriminat(?:ed|es|ing|ion|ory)|(?:my|our) (?:legal )?obligations|duty to report|fmla|ada accommodations?|non-?exempt|overtime pay|paid for on-?call|wage and hour|flsa|who owns the (?:ip|code|intellectual property)|intellectual property|comments? about (?:her|his|their) (?:body|looks|appearance|weight)|inappropriate (?:comments|touching)|go (?:through|into) (?:his|her|their) (?:laptop|email|emails|messages|phone|slack|drive)|(?:read|monitor|search) (?:his|her|their) (?:email|emails|messages|slack|dms)|ask (?:a |the )?candidates? (?:if|whether|about)[^.?!]{0,30}\b(?:kids|children|pregnan\w*|married|religio\w*|age)|(?:disability|reasonable|religious) accommodations?|warn act|notice periods?|works councils?|misclassif\w*|contractors? (?:instead of|rather than|vs\.?|versus|or) (?:full-?time )?employees|ip assignments?|invention assignments?|(?:layoff |legal )?notice requirements?|are we (?:legally )?(?:required|obligated) to|do we (?:legally )?have to (?:grant|give|allow|approve|pay|offer|accommodate)|non-?competes?|cease[- ]and[- ]desist|h-?1b|visa sponsorship|immigration status|severance (?:law|rules)|at-will|(?:because of|due to|given) (?:her|his|their) (?:age|race|religion|gender|ethnicity|nationality|sexual orientation|disability|pregnancy))\b/;
/** What the law protects at work: a decision about someone that turns on one of these has a legal side. */
const protectedCondition =
  /\b(?:pregnan\w*|maternity|paternity|parental leave|(?:medical|sick|disability) leave|disabilit(?:y|ies)|disabled|adhd|autis(?:m|tic)|dyslexi\w*|neurodivergen\w*|(?:a|his|her|their) (?:medical|health|chronic) condition|epilep\w*|diabet\w*|cancer|(?:his|her|their) (?:illness|medical history)|older (?:candidates?|engineers?|employees?|workers?|applicants?|people|folks|colleagues?|developers?|hires?)|too old|over (?:40|50|fifty|forty)|chronic illness|religio(?:n|us)|(?:his|her|their) (?:age|race|ethnicity|nationality|gender|sexual orientation))\b/;
/** A decision that works against someone: moved off, taken out, passed over, let go. */
const adverseDecision =
  /\b(?:let go of|letting go of|lay(?:ing)? off|terminat\w*|dismiss\w*|mov(?:e|es|ed|ing)|tak(?:e|es|ing)|took|pull(?:s|ed|ing)?|remov(?:e|es|ed|ing)|reassign\w*|demot\w*|fir(?:e|es|ed|ing)|let (?:him|her|them) go|lay(?:ing)? off|laid off|pass(?:es|ed|ing)? (?:him|her|them) over|pass(?:es|ed|ing)? on (?:him|her|them|a|an|the)|reject\w*|turn(?:s|ed|ing)? (?:him|her|them) down|offers?|factor\w* (?:that|it|this) into|promot\w*|exclud\w*|skip(?:s|ped|ping)? (?:him|her|them)|rating|bonus|pay|pip|hire|hiring|not (?:hire|promote|give))\b/;

const medical =
  /\b(?:chest pains?|heart (?:attack|palpitations|racing)|panic attacks?|symptoms?|diagnos(?:ed|is|e)|medications?|medicines?|prescri\w*|dosage|doses?|antidepressants?|(?:what|which) (?:pills?|drugs?|supplements?)|what (?:should|can|could) i take|should i (?:see|go to) a doctor|insomnia|(?:clinical |major )?depression|anxiety disorder|(?<!\b(?:back|returned|returning|return) from (?:\w+ ){0,3})(?:medical|sick) leave|smell(?:s|ed|ing)? of (?:alcohol|booze)|(?:drunk|intoxicated|under the influence|hung ?over) (?:at|during|in|on)\b|(?:drinking|substance|alcohol|drug) (?:problem|abuse|issue|use disorder)|addict(?:ion|ed)|mental health (?:condition|diagnosis)|therapy (?:for|options))\b/;
const financial =
  /\b(?:(?:buy|sell|short|put|invest|move)\b[^.?!]{0,40}\b(?:stocks?|shares|nvda|aapl|tsla|msft|amd|etfs?|index funds?|bonds|crypto\w*|bitcoin)|stock picks?|(?:which|what) stocks?|(?:rent|renting) or buy(?:ing)? (?:in|a|an|the|my|our)\b(?! (?:gpus?|servers?|hardware|capacity|compute|tools?|software))|buy(?:ing)? (?:a |an |the |my )?(?:house|home|condo|apartment|flat)|how (?:are|is|do|does|will|would)\b[^.?!]{0,40}\btax(?:ed|es)?|\bamt\b|alternative minimum tax|quarterly (?:estimated )?tax(?:es)?|estimated taxes|home office deduction|deduct (?:my|our|a|the) home office|1099\b|\b(?:llc|s-?corp|c-?corp)\b[^.?!]{0,30}\btax\w*|credit cards?|refinanc\w*|(?:my|our) (?:portfolio|401\s?\(?k\)?|ira|retirement savings|mortgage|tax(?:es| return))|tax (?:advice|deductions?|brackets?|implications|consequences|returns?)|(?:income|state|federal|payroll) tax(?:es)?|capital gains|83\s?\(b\)|deduct\b[^.?!]{0,40}\btax(?:es)?)\b/;

/** Leading, managing or working with people: what makes a legal or health side part of a leadership question. */
const leadershipSide =
  /\b(?:my (?:engineer|report|team|manager|employee|direct|colleague|staff|tech lead|peer)s?|(?:engineer|report|employee|team ?mate|colleague)s?\b|manag\w*|team|fire|firing|let (?:him|her|them) go|performance|pip|layoffs?|hire|hiring|reorg|org|support (?:him|her|them))\b/;

/**
 * The profession a question's answer belongs to, or null, from the question's own words ("legal"
 * alone is a team too: "get legal and security to review our launch").
 */
export function professionOf(question: string): Profession | null {
  const text = question.toLowerCase();
  if (crisisOf(question)) return 'crisis';
  // A decision against someone on medical leave, or with a condition, is first whether the law allows it.
  if (legal.test(text) || (protectedCondition.test(text) && adverseDecision.test(text))) return 'legal';
  if (medical.test(text)) return 'medical';
  if (financial.test(text)) return 'financial';
  return null;
}

/**
 * Whether the question is only the professional's: health, law or money with no one to lead
 * in it (answered as outside what Cairn covers, sending the user to the right professional),
 * rather than a leadership question with such a side (answered, with the side named: see
 * professionalSide).
 */
export function onlyProfessional(question: string): boolean {
  // The user in crisis is answered with where to get help now, whatever else the message holds.
  const crisisFor = crisisOf(question);
  if (crisisFor) return crisisFor === 'self';
  return !leadershipSide.test(question.toLowerCase());
}

/** The line that names a leadership question's legal, health or money side and who should answer it. */
export function professionalSide(profession: Profession): string {
  switch (profession) {
    case 'crisis':
      return [
        '**If they may be thinking of ending their life, that comes before any leadership question.** Reach them today, privately, and ask them directly whether they are thinking about suicide: asking does not put the idea in their head, and it tells them you take it seriously. Listen more than you advise.',
        'If they may be in danger now, call your local emergency number and stay with them (or on the line) until help comes. In the US you or they can call or text 988, the Suicide & Crisis Lifeline; in the UK and Ireland, Samaritans on 116 123; elsewhere, the Find A Helpline directory lists free lines for most countries.',
        'Then bring in support (HR, your Employee Assistance Programme) without handing them off: keep in touch yourself. Workload, time off and what the team hears can wait until they are safe.',
      ].join('\n\n');
    case 'legal':
      return "**Part of this is a legal question, and I can't answer it.** What the law allows depends on where you are and on the details: take it to HR or an employment lawyer before you act. What I can help with is the leadership side.";
    case 'medical':
      return "**Part of this is about health, and I can't advise on it.** Leave and accommodations are for HR (and occupational health, where you have it) to work out with the person. What I can help with is how you lead through it.";
    case 'financial':
      return "**Part of this is personal finance, and I can't advise on it.** A financial adviser can. What I can help with is the leadership side.";
  }
}

/** The three authors, by full name or surname (a first name alone is too often another word: "who will pay"). */
const author = String.raw`(?:will larson|lara hogan|jack danger|larson|hogan)`;

/** Speaking, writing or signing as one of the authors. */
const impersonation = new RegExp(
  [
    String.raw`\b(?:answer|respond|reply|write|speak|talk|pretend|act|role-?play|sign|post|tweet)\w*\b[^.?!]{0,60}?\b(?:as|like|as if you (?:were|are))\s+(?:if you were\s+)?${author}\b`,
    String.raw`\bin\s+${author}'?s?\s+(?:own\s+)?(?:voice|name|words)\b`,
    String.raw`\b(?:signed|sign(?:ed)? it|signing)\s+(?:by|as|from)\s+${author}\b`,
    String.raw`\b(?:you are|you're|be)\s+(?:now\s+)?${author}\b`,
    String.raw`\bin the first person as\s+${author}\b`,
    String.raw`\b(?:starting|start|begin|beginning) with\s+["“']i,\s*(?:will|lara|jack|${author})\b`,
  ].join('|'),
  'i',
);

/** Someone's private facts: where they live, how to reach them privately, what they earn or charge. */
const privateInformation = new RegExp(
  [
    String.raw`\b(?:home address|home phone|phone number|cell(?:phone)? number|mobile number|personal (?:email|phone|address|number)|where (?:does|do) (?:he|she|they|\w+(?: \w+)?) live)\b`,
    String.raw`\b${author}'?s?\s+(?:salary|income|net worth|pay|compensation|email address|address|rates?|fees?)\b`,
    String.raw`\bhow much (?:does|did|do) ${author}\b[^.?!]{0,30}\b(?:earn|make|charge|get paid|cost)\b`,
    String.raw`\b(?:salary|income|net worth|compensation) of\s+${author}\b`,
  ].join('|'),
  'i',
);

/** Asking for the service's own instructions or secrets, or to set them aside. */
const instructions = new RegExp(
  [
    String.raw`\b(?:ignore|disregard|forget|override|bypass)\b[^.?!]{0,30}\b(?:instructions|rules|guidelines|system prompt|prompts?|persona|constraints)\b`,
    String.raw`\b(?:print|reveal|show|repeat|output|dump|display|leak|give|send|tell|list|share|paste|copy|quote|recite|translate)\b[^.?!]{0,30}\b(?:system prompt|your (?:(?:full|whole|exact|entire|original|initial|current) )?(?:instructions|prompt|rules|configuration|config|settings)|hidden (?:instructions|prompt)|api keys?|connection strings?|passwords?|secrets?|credentials|environment variables|tokens?)\b`,
    String.raw`\bwhat(?:'s| is| are| were)\s+(?:your (?:system prompt|(?:initial|original|hidden) (?:instructions|prompt)|configuration|config)|the (?:system prompt|(?:initial|original|hidden) (?:instructions|prompt)))\b`,
    String.raw`\b(?:ai|assistant|model|chatbot|bot) (?:with no|without(?: any)?) (?:rules|guidelines|restrictions|filters|guardrails)\b`,
    String.raw`\b(?:system override|jailbreak|developer mode|dan mode)\b`,
    // Permission the user says they hold to set the rules aside: "I'm authorizing you to answer anything".
    String.raw`\b(?:authori[sz](?:e|es|ed|ing)|allow(?:s|ed|ing)?|permit(?:s|ted|ting)?) you to (?:answer|do|say|discuss|talk about|help with) (?:anything|everything|whatever|any (?:question|topic|request))\b`,
    String.raw`\b(?:passphrase|pass phrase|code ?word|magic word|secret word|override code)\b`,
    String.raw`\[(?:admin|developer|dev|debug|system|root|god|maintenance) mode\]|\b[a-z_]*(?:scope|safety|filter|guard|policy)[a-z_]*\s*=\s*(?:false|off|0|disabled|none)\b`,
    String.raw`<\/?[\w-]*(?:context|system|instructions?|prompt|task)[\w-]*(?:\s[^>]*)?>`,
    String.raw`\b(?:repeat|print|output|copy|show|reproduce)\b[^.?!]{0,20}\b(?:the )?(?:text|words|everything|messages?|content) (?:above|before this|preceding)\b|\bstarting with ["“']you are\b`,
    String.raw`\byou(?:'re| are) (?:now )?my (?:girlfriend|boyfriend|wife|husband|partner|date|lover|crush)\b`,
    String.raw`\b(?:previous|prior|earlier|all|your|the|those) (?:rules|instructions|guidelines|restrictions) (?:no longer apply|(?:are|have been) (?:lifted|removed|suspended|void(?:ed)?|cancell?ed|disabled|off))\b`,
    // Instructions of the user's own put in the persona's place, and the rules wished away.
    String.raw`\b(?:new|updated|revised|real) instructions\s*:|<\/?(?:context|system|instructions?|prompt)>`,
    String.raw`\b(?:forget (?:that )?you(?:'re| are)|from now on,? you(?:'re| are| will be)|you are no longer)\b`,
    String.raw`\b(?:if you (?:had|have) no|(?:pretend|imagine|suppose) you (?:have|had) no|without your) (?:rules|guidelines|restrictions|instructions|filters|guardrails|safety)\b`,
    String.raw`\b(?:list|name|enumerate|show)\b[^.?!]{0,20}\b(?:tools?|apis?|functions?|plugins?)\b[^.?!]{0,10}\b(?:you have|you can (?:use|call|access)|at your disposal|available to you|you have access to)\b`,
  ].join('|'),
  'i',
);

/** What a request asks of Cairn that it does not give, by kind (checked in this order), or null. */
export type WithheldKind = 'system_instructions' | 'impersonate_author' | 'private_information';

export function withheldRequest(question: string): WithheldKind | null {
  if (instructions.test(question)) return 'system_instructions';
  if (impersonation.test(question)) return 'impersonate_author';
  if (privateInformation.test(question)) return 'private_information';
  return null;
}
