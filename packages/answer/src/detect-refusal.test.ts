import { describe, expect, it } from 'vitest';
import { detectRefusal } from './detect-refusal.js';

describe('detectRefusal', () => {
  it.each([
    ['Write a Python script that parses our on-call logs.', 'write_code'],
    ['Can you please implement the rate limiter function in TypeScript?', 'write_code'],
    ['Could you review my PR before I merge it?', 'review_code'],
    ['Please review this pull request: https://github.com/acme/api/pull/12', 'review_code'],
    ["What's wrong with this?\n```js\nfunction f() {}\n```", 'review_code'],
  ])('declines %j', (question, kind) => {
    expect(detectRefusal(question)).toBe(kind);
  });

  it.each([
    'How should we review pull requests as a team without slowing down?',
    'How do I get my team to write better code reviews?',
    'Our staff engineer wants to rewrite the billing code. Should we?',
    'What makes a good code review culture?',
  ])('answers the leadership question %j', (question) => {
    expect(detectRefusal(question)).toBeNull();
  });
});
