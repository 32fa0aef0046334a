import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildExport, exportFileName } from '../../storage/export-files';
import { lessonToMarkdown, toMarkdown } from '../../storage/export-markdown';
import { groupForExport } from '../../storage/grouping';
import { NOW, SAMPLE_ANNOTATIONS, SAMPLE_NOTES, TIMEOUTS } from '../fixtures/export/sample-library';

// A path from the project root: happy-dom replaces `URL`, so `import.meta.url` cannot be resolved here.
const expected = readFileSync(resolve('tests/fixtures/export/sample-library.md'), 'utf8');
const settings = {
  labels: { lessonNote: '本讲笔记', untitledCourse: '未命名课程', untitledLesson: '未命名的一讲' },
  allLabel: 'All notes',
  now: NOW,
  collectionId: 'urn:uuid:11111111-2222-4333-8444-555555555555',
};

describe('the Markdown export', () => {
  test('matches the expected file: course and lesson headings, linked lessons, quotes, notes', () => {
    expect(toMarkdown(groupForExport(SAMPLE_ANNOTATIONS, SAMPLE_NOTES))).toBe(expected);
  });

  test("escapes the page's text in quotes but keeps the reader's own Markdown in notes", () => {
    const markdown = toMarkdown(groupForExport(SAMPLE_ANNOTATIONS, []));
    expect(markdown).toContain('> \\# 每个任期最多只有一个领导者 \\*这是\\* Raft 安全性的基础 \\[1\\]');
    expect(markdown).toContain('> 1\\. 先设置超时');
    expect(markdown).toContain('幂等键要和**业务单号**绑定');
  });

  test('names untitled courses and lessons, and keeps links intact', () => {
    const lesson = {
      ...TIMEOUTS,
      lessonTitle: '',
      courseTitle: ' ',
      url: 'https://time.geekbang.org/column/article/1 (2)',
    };
    const markdown = toMarkdown(groupForExport([{ ...SAMPLE_ANNOTATIONS[0]!, lesson }], []), settings.labels);
    expect(markdown.split('\n').slice(0, 3)).toEqual([
      '# 未命名课程',
      '',
      '## [未命名的一讲](https://time.geekbang.org/column/article/1%20%282%29)',
    ]);
  });

  test('one lesson, for "Copy Markdown": its heading, note and highlights, no course heading', () => {
    const [course] = groupForExport(
      SAMPLE_ANNOTATIONS.filter((a) => a.lesson.lessonId === TIMEOUTS.lessonId),
      SAMPLE_NOTES,
    );
    const markdown = lessonToMarkdown(course!.lessons[0]!, settings.labels);
    expect(
      markdown.startsWith(
        `## [01 | 超时之后：你永远不知道请求发生了什么](${TIMEOUTS.url})\n\n**本讲笔记:** 这一讲的核心`,
      ),
    ).toBe(true);
    expect(markdown).not.toContain('# 分布式');
  });

  test('an export of one course leaves the others out', () => {
    const file = buildExport(
      { type: 'course', courseTitle: 'MySQL 实战 45 讲' },
      'markdown',
      SAMPLE_ANNOTATIONS,
      SAMPLE_NOTES,
      settings,
    );
    expect(file.text).toBe(
      '# MySQL 实战 45 讲\n\n## [05 | 深入浅出索引（下）](https://time.geekbang.org/column/article/62345)\n\n> B+ 树的叶子节点通过指针相连，所以范围查询很快。\n',
    );
    expect(file.mimeType).toBe('text/markdown');
  });

  test('nothing to export gives an empty file', () => {
    expect(toMarkdown([])).toBe('');
  });

  test('file names say what and when, safely on every file system', () => {
    const date = new Date(2026, 2, 1, 12);
    expect(exportFileName({ type: 'all' }, date, 'md')).toBe('lesson-highlighter-all-2026-03-01.md');
    expect(exportFileName({ type: 'course', courseTitle: '分布式系统实战 45 讲' }, date, 'jsonld')).toBe(
      'lesson-highlighter-分布式系统实战-45-讲-2026-03-01.jsonld',
    );
    expect(exportFileName({ type: 'lesson', lessonId: '1', title: '01 | 超时/重试?' }, date, 'md')).toBe(
      'lesson-highlighter-01-超时-重试-2026-03-01.md',
    );
    expect(exportFileName({ type: 'lesson', lessonId: '1', title: '///' }, date, 'md')).toBe(
      'lesson-highlighter-lesson-2026-03-01.md',
    );
  });
});
