import { afterEach, describe, expect, test } from 'vitest';
import { findLessonParts, textRoots } from '../../page/lesson-dom';
import { parseLessonUrl } from '../../page/lesson-url';
import { buildTextIndex } from '../../page/text-index';
import { waitForLesson } from '../../page/wait-for-lesson';
import { loadLesson } from '../fixtures/anchoring/lesson-fixtures';

/** Shows a small page (body HTML) in the test document. */
function showPage(html: string, title = ''): Document {
  document.title = title;
  document.body.innerHTML = html;
  return document;
}

/** The desktop page as it first loads: the frame and a spinner, no lesson yet. */
const DESKTOP_SKELETON =
  '<div id="app"><div class="Index_wrap_2Piiq"><div class="Index_navWrap_2P51R"></div>' +
  '<div class="Index_main_3MKag"><div class="Index_mainAreaWrapper_Z4kqi"><div class="Index_contentWrap_qmM23">' +
  '<div class="simplebar-wrapper"><div class="simplebar-content-wrapper"><div class="simplebar-content">' +
  '<div class="Index_contentWidth_3_1Sf" id="content"><div class="_loading_wrap_"><span>加载中</span></div></div>' +
  '</div></div></div></div></div></div></div></div>';

/** What the site renders into the skeleton once the article API answers. */
function lessonMarkup(title: string, body: string): string {
  return (
    `<h1 class="Index_articleTitle_3xk2L">${title}</h1><div class="Index_articleContent_QBG5G">` +
    `<div data-slate-editor="true"><div data-slate-type="paragraph"><span data-slate-string="true">${body}</span></div></div></div>`
  );
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('parseLessonUrl', () => {
  test('reads the lesson id and drops the query and hash from the canonical URL', () => {
    for (const href of [
      'https://time.geekbang.org/column/article/486612',
      'https://time.geekbang.org/column/article/486612?free=1',
      'https://time.geekbang.org/column/article/486612?noteid=9921#comment',
      'https://time.geekbang.org/column/article/486612/',
    ]) {
      expect(parseLessonUrl(href), href).toEqual({
        lessonId: '486612',
        url: 'https://time.geekbang.org/column/article/486612',
      });
    }
  });

  test('accepts any port: the default one disappears, another (a local test server) stays', () => {
    expect(parseLessonUrl('https://time.geekbang.org:443/column/article/42')?.url).toBe(
      'https://time.geekbang.org/column/article/42',
    );
    expect(parseLessonUrl('http://time.geekbang.org:8080/column/article/42?free=1')).toEqual({
      lessonId: '42',
      url: 'http://time.geekbang.org:8080/column/article/42',
    });
  });

  test('is null for the course loader, intro and video pages, other paths and other hosts', () => {
    for (const href of [
      'https://time.geekbang.org/column/article/0?cid=100',
      'https://time.geekbang.org/column/article/000',
      'https://time.geekbang.org/column/intro/100',
      'https://time.geekbang.org/course/detail/100-2001',
      'https://time.geekbang.org/column/article/486612/comments',
      'https://time.geekbang.org/column/article/lesson-7',
      'https://time.geekbang.org/',
      'https://time.geekbang.com/column/article/486612',
      'https://time.geekbang.org.example.com/column/article/486612',
      'https://example.com/column/article/486612',
      'not a url',
    ]) {
      expect(parseLessonUrl(href), href).toBeNull();
    }
  });
});

describe('findLessonParts', () => {
  test('desktop: the Slate body, the title, the comments and the Simplebar scroll container', () => {
    const parts = findLessonParts(loadLesson('slate-desktop'))!;

    expect(parts.layout).toBe('desktop');
    expect(parts.body.matches('[data-slate-editor="true"]')).toBe(true);
    expect(parts.scrollContainer?.className).toBe('simplebar-content-wrapper');
    expect(parts.title?.tagName).toBe('H1');
    expect(parts.comments?.textContent).toContain('精选留言(2)');
    expect(parts.lessonTitle).toBe('07 | 副本与复制：一份数据为什么要存三份');
    expect(parts.courseTitle).toBe('分布式存储十二讲');
  });

  test('mobile with a plain body: the window scrolls and the body is the article content', () => {
    const parts = findLessonParts(loadLesson('plain-mobile'))!;

    expect(parts.layout).toBe('mobile');
    expect(parts.scrollContainer).toBeNull();
    expect(parts.body.className).toBe('Index_articleContent_QBG5G');
    expect(parts.comments).not.toBeNull();
    expect(parts.lessonTitle).toBe('07 | 副本与复制：一份数据为什么要存三份');
    expect(parts.courseTitle).toBe('分布式存储十二讲');
  });

  test('mobile with a Slate body: the body is the editor inside the article column', () => {
    const doc = showPage(
      '<div class="Index_articleColumn_3Hq1m"><h1>08 | 共识</h1><div class="Index_articleContent_QBG5G">' +
        '<div class="Audio_player_3FcX1">讲述：林舟</div><div data-slate-editor="true">' +
        '<div data-slate-type="paragraph"><span data-slate-string="true">多数派投票。</span></div></div></div></div>',
    );
    const parts = findLessonParts(doc)!;

    expect(parts.layout).toBe('mobile');
    expect(parts.body.matches('[data-slate-editor="true"]')).toBe(true);
    expect(parts.lessonTitle).toBe('08 | 共识');
  });

  test('plain markup without the site’s classes: the article, with its title read once', () => {
    const doc = showPage('<article><h1>08 | 共识</h1><p>多数派投票决定日志是否提交。</p></article>', '08 | 共识 - 极客时间');
    const parts = findLessonParts(doc)!;

    expect(parts.body.tagName).toBe('ARTICLE');
    expect(parts.lessonTitle).toBe('08 | 共识');
    expect(buildTextIndex(textRoots(parts)).text).toBe('08 | 共识\n多数派投票决定日志是否提交。');
  });

  test('the title is the lesson’s h1 even when the catalogue items are named “articleTitle”', () => {
    const doc = showPage(
      '<div class="Index_side_2umED"><div class="ArticleItem_articleTitle_1wQxW">01 | 开篇词</div></div>' +
        '<div class="Index_contentWidth_3_1Sf"><h1 class="Index_title_9xYz1">08 | 共识</h1>' +
        '<div class="Index_articleContent_QBG5G"><div data-slate-editor="true"><p>多数派投票。</p></div></div></div>',
    );
    const parts = findLessonParts(doc)!;

    expect(parts.lessonTitle).toBe('08 | 共识');
    expect(buildTextIndex(textRoots(parts)).text).toBe('08 | 共识\n多数派投票。');
  });

  test('without a title element the lesson title comes from the document title', () => {
    const doc = showPage('<div data-slate-editor="true"><p>多数派投票。</p></div>', '08 | 共识');

    expect(findLessonParts(doc)?.lessonTitle).toBe('08 | 共识');
  });

  test('is null while the page shows its spinner, and while the body is still empty', () => {
    expect(findLessonParts(showPage(DESKTOP_SKELETON))).toBeNull();
    document.getElementById('content')!.innerHTML = lessonMarkup('08 | 共识', '');
    expect(findLessonParts(document)).toBeNull();
  });
});

describe('waitForLesson', () => {
  test('resolves at once when the lesson is already on the page', async () => {
    const doc = loadLesson('slate-desktop');

    const parts = await waitForLesson(doc, new AbortController().signal);

    expect(parts?.lessonTitle).toBe('07 | 副本与复制：一份数据为什么要存三份');
  });

  test('resolves when the body renders after the article API answers', async () => {
    showPage(DESKTOP_SKELETON);
    const waiting = waitForLesson(document, new AbortController().signal);

    setTimeout(() => {
      document.getElementById('content')!.innerHTML = lessonMarkup('08 | 共识', '多数派投票决定日志是否提交。');
    }, 20);
    const parts = await waiting;

    expect(parts?.lessonTitle).toBe('08 | 共识');
    expect(parts?.body.textContent).toBe('多数派投票决定日志是否提交。');
    expect(parts?.layout).toBe('desktop');
  });

  test('after a lesson switch, waits until the new lesson replaces the old one on screen', async () => {
    showPage(DESKTOP_SKELETON);
    const content = document.getElementById('content')!;
    content.innerHTML = lessonMarkup('07 | 复制', '旧的一讲还在屏幕上。');
    const waiting = waitForLesson(document, new AbortController().signal, (parts) => parts.lessonTitle !== '07 | 复制');

    setTimeout(() => (content.innerHTML = lessonMarkup('08 | 共识', '新的一讲。')), 20);

    expect((await waiting)?.lessonTitle).toBe('08 | 共识');
  });

  test('resolves with null when aborted, and ignores a body that renders afterwards', async () => {
    showPage(DESKTOP_SKELETON);
    const aborter = new AbortController();
    const waiting = waitForLesson(document, aborter.signal);

    aborter.abort();
    document.getElementById('content')!.innerHTML = lessonMarkup('08 | 共识', '太晚了。');

    expect(await waiting).toBeNull();
  });

  test('resolves with null at once when the signal is already aborted', async () => {
    showPage(DESKTOP_SKELETON);
    const aborter = new AbortController();
    aborter.abort();

    expect(await waitForLesson(document, aborter.signal)).toBeNull();
  });
});
