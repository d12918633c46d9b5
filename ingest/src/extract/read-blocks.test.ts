import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { isHtmlElement } from './html-node.js';
import { readBlocks } from './read-blocks.js';

function blocksOf(html: string, titleSelector?: string) {
  const $ = cheerio.load(`<body><div id="root">${html}</div></body>`);
  const root = $('#root')[0]!;
  return readBlocks(root, { titleHeading: titleSelector ? ($(titleSelector).toArray().find(isHtmlElement) ?? null) : null });
}

describe('readBlocks', () => {
  it('reads headings with their ids, or a slug of their text, as anchors', () => {
    expect(blocksOf('<h2 id="why">Why it matters</h2><h3>How it works?</h3><h4><a name="legacy"></a>Legacy anchors</h4>')).toEqual([
      { kind: 'heading', level: 2, text: 'Why it matters', anchor: 'why' },
      { kind: 'heading', level: 3, text: 'How it works?', anchor: 'how-it-works' },
      { kind: 'heading', level: 4, text: 'Legacy anchors', anchor: 'legacy' },
    ]);
  });

  it('leaves a heading permalink marker out of its text', () => {
    expect(blocksOf('<h2 id="c-sharp">Why C# <a class="anchor" href="#c-sharp">¶</a></h2>')).toEqual([
      { kind: 'heading', level: 2, text: 'Why C#', anchor: 'c-sharp' },
    ]);
  });

  it('reads the title heading as level 1 whatever its tag', () => {
    expect(
      blocksOf('<h2 class="entry-title">The title</h2><h3>A section</h3>', '.entry-title').map(
        (block) => block.kind === 'heading' && block.level,
      ),
    ).toEqual([1, 3]);
  });

  it('collapses white space inside a block, and puts a space between nested blocks', () => {
    expect(blocksOf('<p>  one\n\n   two&nbsp;three </p><li><p>first</p><p>second</p></li>')).toEqual([
      { kind: 'text', text: 'one two three' },
      { kind: 'text', text: '- first second' },
    ]);
  });

  it('reads a list item once, and its nested list items after it', () => {
    expect(
      blocksOf('<ul><li>Parent <em>item</em><ul><li>Child one</li><li>Child <b>two</b></li></ul></li><li>Sibling</li></ul>').map(
        (block) => block.text,
      ),
    ).toEqual(['- Parent item', '- Child one', '- Child two', '- Sibling']);
  });

  it('reads a block quote as one block, its paragraphs included', () => {
    expect(blocksOf('<blockquote><p>First line.</p><p>Second line.</p></blockquote>')).toEqual([
      { kind: 'text', text: 'First line. Second line.' },
    ]);
  });

  it('keeps the lines and indentation of code', () => {
    expect(blocksOf('<pre><code>def main():\n    return 1\n\n</code></pre>')).toEqual([
      { kind: 'text', text: 'def main():\n    return 1' },
    ]);
  });

  it('removes the indentation common to every line of code', () => {
    expect(blocksOf('<pre>\n    if ready:\n        ship()\n\n    done()\n</pre>')).toEqual([
      { kind: 'text', text: 'if ready:\n    ship()\n\ndone()' },
    ]);
  });

  it('reads one block per table row, cells joined by " | "', () => {
    expect(
      blocksOf(
        '<table><caption>Load</caption><tr><th>Week</th><th>Pages</th></tr><tr><td>12</td><td></td></tr><tr><td></td><td></td></tr></table>',
      ).map((block) => block.text),
    ).toEqual(['Load', 'Week | Pages', '12 |']);
  });

  it('reads a layout table cell by cell instead of as rows', () => {
    const html = '<table><tr><td><h2>Section</h2><p>A paragraph in a layout cell.</p></td><td><p>Another cell.</p></td></tr></table>';
    expect(blocksOf(html).map((block) => block.text)).toEqual(['Section', 'A paragraph in a layout cell.', 'Another cell.']);
  });

  it('reads definition lists and figure captions', () => {
    expect(
      blocksOf(
        '<dl><dt>SLO</dt><dd>A target for reliability.</dd></dl><figure><img src="x.png" alt="x"><figcaption>A chart</figcaption></figure>',
      ).map((block) => block.text),
    ).toEqual(['SLO', 'A target for reliability.', 'A chart']);
  });

  it('reads loose text as paragraphs split at blank lines', () => {
    const html = 'First paragraph, <em>loose</em> in a div.<br><br>Second paragraph<br>with a line break.<div>A block</div>Trailing text.';
    expect(blocksOf(html).map((block) => block.text)).toEqual([
      'First paragraph, loose in a div.',
      'Second paragraph with a line break.',
      'A block',
      'Trailing text.',
    ]);
  });

  it('skips empty blocks', () => {
    expect(blocksOf('<p> </p><p><img src="x.png"></p><h2></h2><li></li>')).toEqual([]);
  });
});
