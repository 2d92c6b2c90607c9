import { describe, expect, it } from 'vitest';
import { renderAnnouncement } from './render-markdown.js';

describe('renderAnnouncement', () => {
  it('renders Markdown', () => {
    const html = renderAnnouncement('**New** services:\n\n- [TikTok](https://tiktok.example)\n- `fast`');
    expect(html).toContain('<strong>New</strong>');
    expect(html).toContain('<a href="https://tiktok.example">TikTok</a>');
    expect(html).toContain('<code>fast</code>');
  });

  it('removes scripts, handlers, iframes and javascript: links', () => {
    const html = renderAnnouncement(
      '<script>alert(1)</script><img src="x" onerror="alert(2)"><iframe src="https://evil.example"></iframe>\n\n[click](javascript:alert(3)) <a href="JaVaScRiPt:alert(4)">x</a>',
    );
    expect(html).not.toMatch(/<script|onerror|<iframe|javascript:/i);
    expect(html).not.toContain('alert(1)');
  });
});
