import { describe, expect, test } from 'vitest';
import { detectPageTheme } from '../../page/page-theme';

function themeWith(background: string): string {
  document.body.innerHTML = `<div id="wrap" style="background-color: ${background}"><div><p id="text">正文</p></div></div>`;
  return detectPageTheme(document.getElementById('text')!);
}

describe('detectPageTheme reads the site reading theme behind the lesson', () => {
  test('the site\'s dark theme (#353535) is dark', () => expect(themeWith('#353535')).toBe('dark'));
  test('the site\'s sepia theme (#f6f0e0) is sepia', () => expect(themeWith('#f6f0e0')).toBe('sepia'));
  test('white is light', () => expect(themeWith('#ffffff')).toBe('light'));
  test('a transparent element is skipped for the color behind it', () => {
    document.body.innerHTML = '<div style="background-color: rgb(53, 53, 53)"><div style="background-color: rgba(0,0,0,0)"><p id="t">字</p></div></div>';
    expect(detectPageTheme(document.getElementById('t')!)).toBe('dark');
  });
});
