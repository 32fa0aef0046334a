// @vitest-environment-options { "url": "https://time.geekbang.org/" }
/**
 * The loader on every page of the site (page/lesson-loader.ts): the lesson
 * code is asked for once, on the first lesson URL — at once, or after the
 * single-page app switches to a lesson with history.replaceState — and never
 * on other pages of the site.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { loadOnFirstLesson } from '../../page/lesson-loader';
import { watchLocation } from '../../page/location-watcher';

const ORIGIN = 'https://time.geekbang.org';

afterEach(() => {
  history.replaceState(null, '', '/');
});

/** A same-document URL change as the site makes it, and the re-render the watcher notices. */
async function switchTo(path: string): Promise<void> {
  history.replaceState(null, '', `${ORIGIN}${path}`);
  window.dispatchEvent(new PopStateEvent('popstate'));
  document.body.append(document.createElement('div'));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('loading the lesson code', () => {
  test('on a lesson page, at once and only once', async () => {
    history.replaceState(null, '', `${ORIGIN}/column/article/100001`);
    const load = vi.fn();

    loadOnFirstLesson(window, load);
    await switchTo('/column/article/100002');

    expect(load).toHaveBeenCalledTimes(1);
  });

  test('not on pages that are not lessons, then once the app switches to a lesson', async () => {
    history.replaceState(null, '', `${ORIGIN}/column/intro/100`);
    const load = vi.fn();

    loadOnFirstLesson(window, load);
    await switchTo('/column/article/0');
    await switchTo('/dashboard/course');
    expect(load).not.toHaveBeenCalled();

    await switchTo('/column/article/100003?source=app');
    await switchTo('/column/article/100004');
    expect(load).toHaveBeenCalledTimes(1);
  });
});

/** A window with a Navigation API of its own, as Chromium gives every world. */
function windowWithNavigation(href: string) {
  const events = new EventTarget();
  return Object.assign(events, { location: { href }, navigation: new EventTarget(), document }) as unknown as Window & { location: { href: string }; navigation: EventTarget };
}

describe('watching the location', () => {
  test('with the Navigation API, a replaceState is noticed through it alone', () => {
    const win = windowWithNavigation(`${ORIGIN}/column/intro/100`);
    const seen: string[] = [];

    const stop = watchLocation(win, (href) => seen.push(href));
    win.location.href = `${ORIGIN}/column/article/100001`;
    win.navigation.dispatchEvent(new Event('currententrychange'));
    stop();
    win.location.href = `${ORIGIN}/column/article/100002`;
    win.navigation.dispatchEvent(new Event('currententrychange'));

    expect(seen).toEqual([`${ORIGIN}/column/article/100001`]);
  });

  test('without it (Firefox), the re-render that follows a replaceState is noticed', async () => {
    expect('navigation' in window, 'this test needs a window without the Navigation API').toBe(false);
    history.replaceState(null, '', `${ORIGIN}/column/intro/100`);
    const load = vi.fn();

    loadOnFirstLesson(window, load);
    history.replaceState(null, '', `${ORIGIN}/column/article/100001`);
    document.body.append(document.createElement('section'));
    await new Promise((resolve) => setTimeout(resolve, 0));

    expect(load).toHaveBeenCalledTimes(1);
  });

  test('reports each change until stopped', async () => {
    history.replaceState(null, '', `${ORIGIN}/column/intro/100`);
    const seen: string[] = [];

    const stop = watchLocation(window, (href) => seen.push(new URL(href).pathname));
    await switchTo('/column/article/100001');
    await switchTo('/column/article/100001');
    stop();
    await switchTo('/column/article/100002');

    expect(seen).toEqual(['/column/article/100001']);
  });
});
