/**
 * Which reading theme the lesson is shown in. The site offers white, sepia
 * and dark themes of its own; cards must stay legible on each, so we read
 * the color actually painted behind the lesson text rather than trust the
 * operating system's preference alone.
 */

export type PageTheme = 'light' | 'sepia' | 'dark';

/** The theme of the nearest painted background behind `element`. */
export function detectPageTheme(element: Element): PageTheme {
  const win = element.ownerDocument.defaultView;
  for (let current: Element | null = element; current && win; current = current.parentElement) {
    const rgba = parseColor(win.getComputedStyle(current).backgroundColor);
    if (rgba && rgba[3] > 0.5) return themeOf(rgba);
  }
  return 'light';
}

function themeOf([red, green, blue]: [number, number, number, number]): PageTheme {
  const luminance = (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255;
  if (luminance < 0.4) return 'dark';
  // Sepia paper: warm, clearly more red than blue.
  return red - blue > 14 ? 'sepia' : 'light';
}

function parseColor(value: string): [number, number, number, number] | null {
  const hex = /^#([0-9a-f]{6})$/i.exec(value.trim());
  if (hex) {
    const n = parseInt(hex[1]!, 16);
    return [n >> 16, (n >> 8) & 255, n & 255, 1];
  }
  const match = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(value);
  if (!match) return null;
  return [Number(match[1]), Number(match[2]), Number(match[3]), match[4] === undefined ? 1 : Number(match[4])];
}

/** Calls `onChange` when a class or style changes on `element` or its ancestors (theme switches). */
export function watchThemeChanges(element: Element, onChange: () => void, signal: AbortSignal): void {
  const observer = new MutationObserver(onChange);
  for (let current: Element | null = element; current; current = current.parentElement) {
    observer.observe(current, { attributes: true, attributeFilter: ['class', 'style'] });
  }
  signal.addEventListener('abort', () => observer.disconnect());
}
