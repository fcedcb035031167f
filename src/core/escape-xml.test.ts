import { describe, expect, it } from 'vitest';
import { escapeXml } from './escape-xml.js';

describe('escapeXml', () => {
  it('escapes the five XML special characters and leaves the rest', () => {
    expect(escapeXml(`a<b & "c" 'd'>é`)).toBe('a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;é');
  });
});
