/**
 * Markdown as policy repositories write it (one law per file: `# 标题`, `## 第一章 总则`, articles as
 * paragraphs, an HTML comment closing the header) read as the plain text the rest of ingest expects:
 * heading marks, comments, emphasis and links removed, line structure kept. Pipe tables stay as they are
 * (the table parser reads them).
 */
export interface MarkdownText {
  text: string;
  /** The level-1 heading: the document's title. */
  title: string | null;
  /** Lines that were headings without a number of their own (`## 附则`), as they read after conversion. */
  headings: Set<string>;
}

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;

export function readMarkdown(source: string): MarkdownText {
  // Only real comments: titles may hold ASCII angle brackets (《关于修改<…>等十二部法律的决定》).
  const uncommented = source.replace(/<!--[\s\S]*?-->/g, '');
  let title: string | null = null;
  const headings = new Set<string>();
  const lines = uncommented.split(/\r?\n/).map((raw) => {
    const heading = raw.match(HEADING);
    if (heading) {
      const text = inline(heading[2] ?? '');
      if ((heading[1] ?? '').length === 1 && title === null) title = text;
      else headings.add(text);
      return text;
    }
    return inline(raw.replace(/^\s{0,3}(?:[-*+]|>)\s+/, ''));
  });
  return { text: lines.join('\n'), title, headings };
}

/** Emphasis, inline code, images and links reduced to their text. */
function inline(text: string): string {
  return text
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/`([^`]+)`/g, '$1');
}
