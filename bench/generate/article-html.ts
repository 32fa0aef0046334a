/**
 * A generated lesson as the article API returns it (`article_content` HTML:
 * p, h2, blockquote>p, ul/ol>li, pre>code, p>img, strong/code/a), so the
 * fixture site renders it into the Slate DOM exactly as it renders its own
 * lessons.
 */
import type { Block, Line, Run } from './lesson-model';
import { lineText } from './lesson-model';

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function runHtml(run: Run): string {
  const text = escapeHtml(run.text);
  switch (run.kind) {
    case 'text':
      return text;
    case 'bold':
      return `<strong>${text}</strong>`;
    case 'code':
      return `<code>${text}</code>`;
    case 'link':
      return `<a href="https://example.com/notes/${run.ids[0] ?? 0}">${text}</a>`;
  }
}

function lineHtml(line: Line): string {
  return line.runs.map(runHtml).join('');
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p>${lineHtml(block.lines[0])}</p>`;
    case 'heading':
      return `<h2>${lineHtml(block.lines[0])}</h2>`;
    case 'quote':
      return `<blockquote>\n${block.lines.map((line) => `<p>${lineHtml(line)}</p>`).join('\n')}\n</blockquote>`;
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      return `<${tag}>\n${block.lines.map((line) => `<li>${lineHtml(line)}</li>`).join('\n')}\n</${tag}>`;
    }
    case 'code': {
      const source = block.lines.map(lineText).join('\n');
      return `<pre><code class="language-${block.language}">${escapeHtml(source)}\n</code></pre>`;
    }
    case 'image':
      return `<p><img src="${block.src}" alt="${escapeHtml(block.alt)}"></p>`;
  }
}

/** The lesson body as `article_content` HTML. */
export function articleHtml(blocks: readonly Block[]): string {
  return blocks.map(blockHtml).join('\n');
}
