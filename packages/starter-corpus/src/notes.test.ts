import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadGoldSet, starterNotesDirectory } from './index.js';

interface Note {
  slug: string;
  front: { title: string; author: string; url: string; topics: string[]; frameworks: string[]; source: string };
  body: string;
}

const notes: Note[] = readdirSync(starterNotesDirectory)
  .filter((file) => file.endsWith('.md'))
  .map((file) => {
    const text = readFileSync(`${starterNotesDirectory}/${file}`, 'utf8');
    const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
    if (!match) throw new Error(`${file} has no front matter`);
    return { slug: file.replace(/\.md$/, ''), front: parse(match[1]!), body: match[2]! };
  });

describe('the starter corpus', () => {
  it('has at least 30 notes, each with its title, author, source and topics', () => {
    expect(notes.length).toBeGreaterThanOrEqual(30);
    for (const { slug, front } of notes) {
      expect(front.title, slug).toBeTruthy();
      expect(['Will Larson', 'Lara Hogan', 'Jack Danger'], slug).toContain(front.author);
      expect(front.url, slug).toMatch(/^https:\/\/(lethain\.com|staffeng\.com|infraeng\.dev|larahogan\.me|jackdanger\.com)\//);
      expect(front.topics.length, slug).toBeGreaterThan(0);
    }
  });

  it('names and links the source each note summarises, in the note itself', () => {
    for (const { slug, front, body } of notes) {
      expect(body, slug).toContain(`](${front.url})`);
      expect(body, slug).toContain(front.author);
    }
  });

  it('covers every framework and topic of the persona', () => {
    const frameworks = new Set(notes.flatMap((note) => note.front.frameworks));
    for (const framework of [
      'Technical Coherence',
      'Staff Archetypes',
      'Trunk and Branches',
      'Engineering Strategy',
      'BICEPS',
      'Feedback Equation',
      "Naming What's Happening",
      'Sponsorship vs Mentorship',
    ]) {
      expect(frameworks, framework).toContain(framework);
    }
    const topics = new Set(notes.flatMap((note) => note.front.topics));
    for (const topic of [
      'staff-plus',
      'org-design',
      'team-sizing',
      'technical-quality',
      'promotions',
      'hiring',
      'strategy',
      'infrastructure',
      'first-90-days',
      'feedback',
      'difficult-conversations',
      'facilitation',
      'one-on-ones',
      'developing-people',
    ]) {
      expect(topics, topic).toContain(topic);
    }
  });

  it('has a gold set whose every note is expected by some question', () => {
    const expected = new Set(loadGoldSet().flatMap((question) => question.expected));
    for (const { slug } of notes) expect(expected, slug).toContain(slug);
  });
});
